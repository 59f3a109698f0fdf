using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.State;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Version 2 of the state document, about a third smaller than version 1 (camelCase property names, every activity in
/// full): one- or two-letter names, and what the row or the document already says is left out. It starts with
/// <c>{"v":2</c>, which is how <see cref="InstanceStateSerializer"/> tells it from a version 1 document (still read).
/// <list type="bullet">
/// <item>an activity's <c>activityId</c> when it is the last segment of its node id (Elsa's node path);</item>
/// <item>an activity's id as <c>[n, rest]</c> when it shares its first n characters with the id before it (the instance's
/// id for the first activity): time-ordered ids made close together share their time part;</item>
/// <item>its node id when it is its parent's plus <c>:</c> and its activity id, the parent being earlier in the list
/// (<c>d</c> without <c>n</c>);</item>
/// <item>its <c>status</c> when running, its <c>startedAt</c> as ticks after the instance's creation (omitted when 0);</item>
/// <item>its parent as the parent's position in the list when the parent is in it;</item>
/// <item>a flow token as <c>[from, outcome, to]</c>, with a fourth element for the consumed (1) and blocked (2) flags.</item>
/// </list>
/// Variables, properties, activity state, incidents, input and output are written as before, except the state of a
/// waiting activity that its journal already holds and a resume rebuilds whole: only its hash (<c>sh</c>) is written.
/// Read by <c>CompactStateDocument.Reader.cs</c>.
/// </summary>
internal static partial class CompactStateDocument
{
    public const string Marker = "{\"v\":2";

    /// <summary>Below this the array form of a shortened id (<c>[n,"rest"]</c>) saves nothing.</summary>
    private const int MinSharedIdPrefix = 6;

    public static string Write(WorkflowInstance instance)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = InstanceStateSerializer.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 2);
            if (instance.ActivityInstances.Count > 0)
            {
                var positions = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < instance.ActivityInstances.Count; i++) positions.TryAdd(instance.ActivityInstances[i].Id, i);
                w.WriteStartArray("a");
                for (var i = 0; i < instance.ActivityInstances.Count; i++)
                    WriteActivity(w, instance.ActivityInstances, i, i == 0 ? instance.Id : instance.ActivityInstances[i - 1].Id, instance.CreatedAt, positions);
                w.WriteEndArray();
            }
            if (instance.Variables.Count > 0)
            {
                w.WritePropertyName("var");
                JsonSerializer.Serialize(w, instance.Variables, InstanceStateSerializer.Options);
            }
            if (instance.Incidents.Count > 0)
            {
                w.WritePropertyName("inc");
                JsonSerializer.Serialize(w, instance.Incidents, InstanceStateSerializer.Options);
            }
            if (instance.Fault is not null) w.WriteString("f", instance.Fault);
            if (instance.NextJournalSequence != 0) w.WriteNumber("j", instance.NextJournalSequence);
            WriteObject(w, "in", instance.Input.Count == 0 ? null : instance.Input);
            WriteObject(w, "out", instance.Output.Count == 0 ? null : instance.Output);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteActivity(Utf8JsonWriter w, List<ActivityInstance> all, int index, string previousId, DateTimeOffset createdAt, Dictionary<string, int> positions)
    {
        var a = all[index];
        w.WriteStartObject();
        var shared = a.Id.AsSpan().CommonPrefixLength(previousId);
        if (shared >= MinSharedIdPrefix)
        {
            // Ids made close together share their time part: [length of the prefix shared with the id before, the rest].
            w.WriteStartArray("i");
            w.WriteNumberValue(shared);
            w.WriteStringValue(a.Id.AsSpan(shared));
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("i", a.Id);
        }
        if (a.ParentId is { } p && positions.TryGetValue(p, out var at) && at < index && JournalCompaction.IsChildPath(a.NodeId, all[at].NodeId, a.ActivityId))
        {
            // The node id is Elsa's node path, the parent's plus this activity's id: the parent, read before, gives it back.
            w.WriteString("d", a.ActivityId);
        }
        else
        {
            w.WriteString("n", a.NodeId);
            if (LastSegment(a.NodeId) != a.ActivityId) w.WriteString("d", a.ActivityId);
        }
        w.WriteString("t", a.ActivityType);
        if (a.ParentId is { } parent)
        {
            if (positions.TryGetValue(parent, out var position)) w.WriteNumber("p", position);
            else w.WriteString("p", parent);
        }
        if (a.Status != ActivityStatus.Running) w.WriteString("s", StatusName(a.Status));
        var started = a.StartedAt.UtcTicks - createdAt.UtcTicks;
        if (started != 0) w.WriteNumber("at", started);
        WriteObject(w, "pr", a.Properties);
        var asJournaled = a.ActivityState is { } state && a.LastJournaledState is { } journaled && JsonNode.DeepEquals(state, journaled);
        if (a.ActivityState is null && a.JournaledStateHash is { } kept)
        {
            // Still left out: nothing rebuilt the state since it was loaded.
            w.WriteString("sh", kept);
        }
        else if (asJournaled && a.StateRebuiltOnResume)
        {
            // "sh": the state is the latest journal row's and a resume rebuilds it whole, so only its hash is kept while the
            // activity waits (the evaluated inputs of a human task are ~200 B that would leave the row at its completion).
            w.WriteString("sh", StateHash.Of(a.ActivityState!));
        }
        else
        {
            WriteObject(w, "st", a.ActivityState);
            // "sj": the state equals the one this activity's latest journal row recorded (JournalRecord.StateAsJournaledBefore).
            if (asJournaled) w.WriteNumber("sj", 1);
        }
        if (a.Tokens is { } tokens)
        {
            w.WriteStartArray("tk");
            foreach (var t in tokens)
            {
                w.WriteStartArray();
                w.WriteStringValue(t.FromActivityId);
                w.WriteStringValue(t.Outcome);
                w.WriteStringValue(t.ToActivityId);
                var flags = (t.Consumed ? 1 : 0) | (t.Blocked ? 2 : 0);
                if (flags != 0) w.WriteNumberValue(flags);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter w, string name, JsonObject? value)
    {
        if (value is null) return;
        w.WritePropertyName(name);
        value.WriteTo(w);
    }

    private static string LastSegment(string nodeId) => nodeId[(nodeId.LastIndexOf(':') + 1)..];

    // Names, not numbers, as in version 1: reordering the enum must not change what a stored status means.
    private static string StatusName(ActivityStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static ActivityStatus ParseStatus(string name) => Enum.Parse<ActivityStatus>(name, ignoreCase: true);
}
