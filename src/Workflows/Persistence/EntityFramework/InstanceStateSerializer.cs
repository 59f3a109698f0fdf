using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Exit.Workflows.State;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// The state document: everything of a <see cref="WorkflowInstance"/> that is not a header column, as compact JSON
/// (camelCase, no indentation, nulls/defaults and empty top-level collections omitted, enums as camelCase names
/// so reordering an enum cannot corrupt stored state). Stored JSON is written with the relaxed encoder: it is only ever
/// read back by a JSON parser, never placed in HTML, and the default escaping wrote "+" in every timestamp and each
/// non-ASCII letter (Danish names and texts) as six bytes.
/// </summary>
public static class InstanceStateSerializer
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes the compact version 2 document (<see cref="CompactStateDocument"/>).</summary>
    public static string Serialize(WorkflowInstance instance) => CompactStateDocument.Write(instance);

    public static WorkflowInstance Deserialize(InstanceRow row)
    {
        if (row.State.StartsWith(CompactStateDocument.Marker, StringComparison.Ordinal))
        {
            var instance = Header(row);
            CompactStateDocument.Read(row.State, instance);
            return instance;
        }
        // A version 1 document, written before the compact form (still in stored rows).
        var doc = JsonSerializer.Deserialize<StateDocument>(row.State, Options) ?? new StateDocument();
        var v1 = Header(row);
        v1.Variables = doc.Variables ?? new();
        v1.ActivityInstances = doc.ActivityInstances ?? new();
        v1.Incidents = doc.Incidents ?? new();
        v1.Fault = doc.Fault;
        v1.NextJournalSequence = doc.NextJournalSequence;
        v1.Input = doc.Input ?? new();
        v1.Output = doc.Output ?? new();
        return v1;
    }

    private static WorkflowInstance Header(InstanceRow row) => new()
    {
        Id = row.Id,
        TenantId = row.TenantId,
        DefinitionId = row.DefinitionId,
        DefinitionVersionId = row.DefinitionVersionId,
        DefinitionVersion = row.Version,
        CorrelationId = row.CorrelationId,
        Name = row.Name,
        Status = row.Status,
        SubStatus = row.SubStatus,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        FinishedAt = row.FinishedAt,
        ConcurrencyVersion = row.ConcurrencyVersion,
    };

    internal static string? ToJson(JsonObject? value) => value?.ToJsonString(Options);

    internal static JsonObject? ParseObject(string? json) => json is null ? null : JsonNode.Parse(json)?.AsObject();

    private sealed class StateDocument
    {
        public Dictionary<string, JsonNode?>? Variables { get; set; }
        public List<ActivityInstance>? ActivityInstances { get; set; }
        public List<Incident>? Incidents { get; set; }
        public string? Fault { get; set; }
        public long NextJournalSequence { get; set; }
        public JsonObject? Input { get; set; }
        public JsonObject? Output { get; set; }
    }
}
