namespace Exit.Activities.Cti.Domain;

/// <summary>
/// A period in which a worker was responsible for the course, [From, To). Kept for the whole course
/// because a change of worker is a known drop-out risk and managers need to see it.
/// </summary>
public sealed record WorkerAssignment(WorkerId WorkerId, DateTimeOffset From, DateTimeOffset? To, string? Reason)
{
    public bool IsCurrent => To is null;
}
