namespace Exit.Workflows.Alterations;

/// <summary>
/// Claims of alteration jobs by one host on a database several hosts share (PostgreSQL), as the timer sweep claims due
/// timers: a page of a plan's pending jobs is taken with <c>FOR UPDATE SKIP LOCKED</c> and marked with this host's id and a
/// lease (<c>wf_alteration_jobs.claimed_by/claimed_until</c>, UTC ticks of the runtime's clock), so two hosts never work
/// the same job; a host that dies holding jobs leaves them to the others when the lease ends. A finished job keeps its
/// claim (which host did it). SQLite (one host per file) never claims (<see cref="Enabled"/> false).
/// </summary>
/// <param name="Node">This host's id in the claims (machine, process, a random part: unique per runtime).</param>
/// <param name="Lease">How long a claim holds; how late a dead host's claimed jobs are taken over.</param>
public sealed record AlterationJobClaim(string Node, TimeSpan Lease, bool Enabled)
{
    public static AlterationJobClaim ForThisProcess(TimeSpan lease, bool enabled) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}", lease, enabled);

    /// <summary>
    /// Claims up to <c>@take</c> pending jobs of the plan that nobody holds (or whose claim expired, or that this host holds
    /// already), oldest id first, skipping rows another host is claiming at this moment; returns their ids. The CTE runs once.
    /// Raw SQL: it filters the tenant itself.
    /// </summary>
    internal const string ClaimSql =
        "WITH page AS (SELECT \"id\" FROM \"wf_alteration_jobs\" " +
        "WHERE \"plan_id\" = @plan AND \"tenant_id\" = @tenant AND \"status\" = @pending " +
        "AND (\"claimed_until\" IS NULL OR \"claimed_until\" <= @now OR \"claimed_by\" = @node) " +
        "ORDER BY \"id\" LIMIT @take FOR UPDATE SKIP LOCKED) " +
        "UPDATE \"wf_alteration_jobs\" j SET \"claimed_by\" = @node, \"claimed_until\" = @until FROM page WHERE j.\"id\" = page.\"id\" RETURNING j.\"id\"";

    /// <summary>On a graceful stop: this host's unfinished jobs are free for the others at once.</summary>
    internal const string ReleaseSql =
        "UPDATE \"wf_alteration_jobs\" SET \"claimed_by\" = NULL, \"claimed_until\" = NULL WHERE \"claimed_by\" = @node AND \"status\" = @pending";
}
