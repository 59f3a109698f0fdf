using Exit.Workflows.State;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>A stored definition version: header columns plus the Elsa JSON document as text.</summary>
public sealed class DefinitionRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Json { get; set; }
}

/// <summary>A workflow instance: header columns for lists and filters, the rest in <see cref="State"/> (compact JSON).</summary>
public sealed class InstanceRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public int Version { get; set; }
    public string? CorrelationId { get; set; }
    public string? Name { get; set; }
    public WorkflowStatus Status { get; set; }
    public WorkflowSubStatus SubStatus { get; set; }
    public int IncidentCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public long ConcurrencyVersion { get; set; }
    public required string State { get; set; }
}

public sealed class BookmarkRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string ActivityInstanceId { get; set; }
    public required string ActivityNodeId { get; set; }
    public required string Kind { get; set; }
    public string? Key { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? Payload { get; set; }

    /// <summary>The host whose due-timer sweep holds this timer (PostgreSQL, several hosts); null when unclaimed.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when <see cref="ClaimedBy"/> holds it: a host that dies with a claim releases it by this expiry.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
}

public sealed class JournalRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string InstanceId { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string ActivityInstanceId { get; set; }
    public string? ParentActivityInstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityType { get; set; }
    public int ActivityTypeVersion { get; set; }
    public string? ActivityName { get; set; }
    public required string NodeId { get; set; }
    public required string EventName { get; set; }
    public string? Message { get; set; }
    public string? ActivityState { get; set; }
    public string? Payload { get; set; }
}

/// <summary>A submitted alteration plan (Alterations/): what to do, to which instances, and how far it got.</summary>
public sealed class AlterationPlanRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string Id { get; set; }
    public required string Alterations { get; set; }
    public required string Filter { get; set; }
    public int Status { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One instance's part of a plan; its result is written in the instance's own commit when it applies.</summary>
public sealed class AlterationJobRow : ITenantOwned
{
    /// <summary>The municipality the row belongs to (<c>tenant_id</c>); filtered and stamped by the context.</summary>
    public string TenantId { get; set; } = "";

    public required string Id { get; set; }
    public required string PlanId { get; set; }
    public required string InstanceId { get; set; }
    public int Status { get; set; }
    public string? Log { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The host working the job (PostgreSQL, several hosts), see <c>AlterationJobClaim</c>; kept when it is done.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when <see cref="ClaimedBy"/> holds it: a host that dies with a claim releases it by this expiry.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
}
