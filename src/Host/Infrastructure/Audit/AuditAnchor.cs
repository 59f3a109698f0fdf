namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// Where a lane of a municipality's audit log now starts after retention removed its oldest entries
/// (<see cref="AuditPruning"/>): the id and hash of the last entry removed, so verification starts the lane from that
/// hash instead of from nothing, and a pruning is itself on record (when, up to which cutoff, how many entries). Written in
/// the removal's own transaction; never changed or removed (the service's database role may only insert and read it).
/// </summary>
public sealed class AuditAnchor : Exit.Workflows.Tenancy.ITenantOwned
{
    public long Id { get; init; }

    public string TenantId { get; set; } = "";

    public short Lane { get; init; }

    /// <summary>The newest entry removed from the lane: the kept part's first entry must follow it.</summary>
    public long LastRemovedId { get; init; }

    /// <summary>The hash the removed entry carried: the "previous hash" of the lane's first kept entry.</summary>
    public string? LastRemovedHash { get; init; }

    /// <summary>Entries written before this instant were due for removal (<c>Exit:Retention:AuditEntriesDays</c>).</summary>
    public DateTimeOffset Cutoff { get; init; }

    /// <summary>How many entries of the lane this pruning removed.</summary>
    public long Removed { get; init; }

    /// <summary>When the pruning ran (the database's clock on PostgreSQL, the service's elsewhere).</summary>
    public DateTimeOffset At { get; init; }
}
