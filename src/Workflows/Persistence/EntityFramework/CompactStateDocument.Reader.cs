using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.State;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Reading the version 2 document in one forward pass (<see cref="Utf8JsonReader"/>) straight into the instance, instead of
/// parsing it into a <see cref="JsonNode"/> tree and reading the tree: a resume reads one document per completion. Only the
/// values the instance keeps as JSON (variables, input, output, an activity's properties and state) become nodes. Reads
/// exactly what the tree reading read: properties in any order, unknown ones skipped, a JSON null as an absent property.
/// </summary>
internal static partial class CompactStateDocument
{
    public static void Read(string json, WorkflowInstance instance)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            Read(ref reader, instance);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Read(ref Utf8JsonReader r, WorkflowInstance instance)
    {
        Expect(ref r, JsonTokenType.StartObject);
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("a"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); continue; }
                // Read whole first: a parent is named by its position in the list, which may (in theory) be a later one.
                var read = new List<StoredActivity>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    read.Add(ReadActivity(ref r, read.Count == 0 ? instance.Id : read[^1].Id));
                foreach (var a in read) instance.ActivityInstances.Add(a.ToInstance(read, instance.ActivityInstances, instance.CreatedAt));
            }
            else if (r.ValueTextEquals("var"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); continue; }
                while (NextProperty(ref r))
                {
                    var name = r.GetString()!;
                    r.Read();
                    instance.Variables[name] = JsonNode.Parse(ref r);
                }
            }
            else if (r.ValueTextEquals("inc"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); continue; }
                instance.Incidents.AddRange(JsonSerializer.Deserialize<List<Incident>>(ref r, InstanceStateSerializer.Options) ?? []);
            }
            else if (r.ValueTextEquals("f"u8)) instance.Fault = ReadString(ref r);
            else if (r.ValueTextEquals("j"u8)) instance.NextJournalSequence = ReadLong(ref r) ?? 0;
            else if (r.ValueTextEquals("in"u8)) { if (ReadObject(ref r) is { } input) instance.Input = input; }
            else if (r.ValueTextEquals("out"u8)) { if (ReadObject(ref r) is { } output) instance.Output = output; }
            else
            {
                r.Read();
                r.Skip();
            }
        }
    }

    /// <summary>An activity as the document gives it, before its parent and derived node id are resolved.</summary>
    private sealed class StoredActivity
    {
        public required string Id;
        public string? NodeId, ActivityId, Type, ParentId, Status, Hash;
        public int ParentPosition = -1;
        public long StartedAfter;
        public JsonObject? Properties, State;
        public List<FlowToken>? Tokens;
        public bool SameAsJournaled;

        public ActivityInstance ToInstance(List<StoredActivity> all, List<ActivityInstance> before, DateTimeOffset createdAt)
        {
            if (Type is null) throw new JsonException($"Activity {Id} of the state document has no type.");
            var nodeId = NodeId ?? $"{before[ParentPosition].NodeId}:{ActivityId}";
            var activity = new ActivityInstance
            {
                Id = Id,
                NodeId = nodeId,
                ActivityId = ActivityId ?? LastSegment(nodeId),
                ActivityType = Type,
                ParentId = ParentPosition >= 0 ? all[ParentPosition].Id : ParentId,
                Status = Status is null ? ActivityStatus.Running : ParseStatus(Status),
                StartedAt = new DateTimeOffset(createdAt.UtcTicks + StartedAfter, TimeSpan.Zero),
                Properties = Properties,
                ActivityState = State,
                Tokens = Tokens,
            };
            // A copy: the engine may change the live state; this stays what the journal row recorded.
            if (SameAsJournaled && State is not null) activity.LastJournaledState = State.DeepClone().AsObject();
            if (Hash is not null) activity.JournaledStateHash = Hash;
            return activity;
        }
    }

    /// <summary>One activity; the reader is on its StartObject and ends on its EndObject.</summary>
    private static StoredActivity ReadActivity(ref Utf8JsonReader r, string previousId)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw new JsonException("An activity of the state document is not an object.");
        string? id = null, nodeId = null, activityId = null, type = null, parentId = null, status = null, hash = null;
        var parentPosition = -1;
        long startedAfter = 0;
        JsonObject? properties = null, state = null;
        List<FlowToken>? tokens = null;
        var sameAsJournaled = false;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("i"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    // [length of the prefix shared with the id before (the instance's for the first), the rest]
                    r.Read();
                    var shared = r.GetInt32();
                    r.Read();
                    var rest = r.GetString();
                    r.Read();
                    if (r.TokenType != JsonTokenType.EndArray) throw new JsonException("A shortened activity id has more than two parts.");
                    id = string.Concat(previousId.AsSpan(0, shared), rest);
                }
                else
                {
                    id = r.TokenType == JsonTokenType.Null ? null : r.GetString();
                }
            }
            else if (r.ValueTextEquals("n"u8)) nodeId = ReadString(ref r);
            else if (r.ValueTextEquals("d"u8)) activityId = ReadString(ref r);
            else if (r.ValueTextEquals("t"u8)) type = ReadString(ref r);
            else if (r.ValueTextEquals("p"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var position)) parentPosition = position;
                else if (r.TokenType != JsonTokenType.Null) parentId = r.GetString();
            }
            else if (r.ValueTextEquals("s"u8)) status = ReadString(ref r);
            else if (r.ValueTextEquals("at"u8)) startedAfter = ReadLong(ref r) ?? 0;
            else if (r.ValueTextEquals("pr"u8)) properties = ReadObject(ref r);
            else if (r.ValueTextEquals("st"u8)) state = ReadObject(ref r);
            else if (r.ValueTextEquals("sj"u8))
            {
                r.Read();
                sameAsJournaled = r.TokenType != JsonTokenType.Null;
                r.Skip();
            }
            else if (r.ValueTextEquals("sh"u8)) hash = ReadString(ref r);
            else if (r.ValueTextEquals("tk"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); continue; }
                tokens = [];
                while (r.Read() && r.TokenType != JsonTokenType.EndArray) tokens.Add(ReadToken(ref r));
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
        return new StoredActivity
        {
            Id = id ?? throw new JsonException("An activity of the state document has no id."),
            NodeId = nodeId, ActivityId = activityId, Type = type, ParentId = parentId, Status = status, Hash = hash,
            ParentPosition = parentPosition, StartedAfter = startedAfter, Properties = properties, State = state, Tokens = tokens,
            SameAsJournaled = sameAsJournaled,
        };
    }

    /// <summary>[from, outcome, to] with an optional fourth element: consumed (1) and blocked (2) flags.</summary>
    private static FlowToken ReadToken(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray) throw new JsonException("A flow token of the state document is not an array.");
        r.Read();
        var from = r.GetString()!;
        r.Read();
        var outcome = r.GetString()!;
        r.Read();
        var to = r.GetString()!;
        var flags = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            if (flags == 0 && r.TokenType == JsonTokenType.Number) flags = r.GetInt32();
        return new FlowToken { FromActivityId = from, Outcome = outcome, ToActivityId = to, Consumed = (flags & 1) != 0, Blocked = (flags & 2) != 0 };
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("The state document ends inside an object.");
        return r.TokenType == JsonTokenType.PropertyName;
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (!r.Read() || r.TokenType != type) throw new JsonException($"The state document has {r.TokenType} where {type} was expected.");
    }

    private static string? ReadString(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : r.GetString();
    }

    private static long? ReadLong(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : r.GetInt64();
    }

    /// <summary>The value as a node when it is an object; null (and skipped) otherwise.</summary>
    private static JsonObject? ReadObject(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return null;
        }
        return JsonNode.Parse(ref r) as JsonObject;
    }
}
