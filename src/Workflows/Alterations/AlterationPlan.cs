namespace Exit.Workflows.Alterations;

/// <summary>Elsa's AlterationPlanStatus, as far as Exit goes: submitted, jobs made and running, done.</summary>
public enum AlterationPlanStatus { Pending = 0, Running = 1, Completed = 2 }

/// <summary>Elsa's AlterationJobStatus: a job is pending until its instance was altered (Completed) or refused (Failed).</summary>
public enum AlterationJobStatus { Pending = 0, Completed = 1, Failed = 2 }

/// <summary>A submitted bulk alteration: the alterations, the instance filter and who submitted it.</summary>
public sealed record AlterationPlan(
    string Id,
    IReadOnlyList<Alteration> Alterations,
    AlterationInstanceFilter Filter,
    AlterationPlanStatus Status,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>The municipality that submitted it: its instances are selected, and its jobs run, in that tenant only.</summary>
    public string TenantId { get; init; } = "";
}

/// <summary>One instance's part of a plan and its result (the log says what was done or why it was refused).</summary>
public sealed record AlterationJob(
    string Id,
    string PlanId,
    string WorkflowInstanceId,
    AlterationJobStatus Status,
    IReadOnlyList<string> Log,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>
/// Commit effect: the job is done. Written by <see cref="AlterationJobCommitParticipant"/> in the same transaction as the
/// altered instance, so after a crash a job is pending exactly when its instance is still unaltered.
/// </summary>
public sealed record AlterationJobCompleted(string JobId, IReadOnlyList<string> Log, DateTimeOffset CompletedAt);
