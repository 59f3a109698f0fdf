using System.Text.Json.Nodes;

namespace Exit.Workflows.State;

/// <summary>
/// The persisted state of one workflow instance. Header fields are stored as columns so lists never read
/// the state document; <see cref="ConcurrencyVersion"/> guards against two resumes overwriting each other.
/// Bookmarks and journal records are stored as rows of their own, not inside this document.
/// </summary>
public sealed class WorkflowInstance
{
    public required string Id { get; init; }

    /// <summary>
    /// The municipality (tenant) the instance belongs to: set from the scope when it starts, read back from its row, never
    /// changed. Its rows, and the rows its commit's participants write, carry it; background work enters it before acting.
    /// </summary>
    public string TenantId { get; init; } = Tenancy.TenantScope.Current ?? "";
    public required string DefinitionId { get; init; }
    public required string DefinitionVersionId { get; init; }
    public required int DefinitionVersion { get; init; }
    public string? CorrelationId { get; set; }
    public string? Name { get; set; }
    public WorkflowStatus Status { get; set; } = WorkflowStatus.Running;
    public WorkflowSubStatus SubStatus { get; set; } = WorkflowSubStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Incremented on every commit; a commit expecting an older value is refused.</summary>
    public long ConcurrencyVersion { get; set; }

    /// <summary>Variable values by variable id (Elsa resolves variables by id).</summary>
    public Dictionary<string, JsonNode?> Variables { get; set; } = new();

    public List<ActivityInstance> ActivityInstances { get; set; } = new();
    public List<Incident> Incidents { get; set; } = new();
    public string? Fault { get; set; }
    public long NextJournalSequence { get; set; }
    public JsonObject Input { get; set; } = new();
    public JsonObject Output { get; set; } = new();
}
