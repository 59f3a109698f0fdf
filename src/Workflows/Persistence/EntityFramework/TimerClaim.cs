namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Claims of due timers by one host on a database several hosts share (PostgreSQL): a sweep page is taken with
/// <c>FOR UPDATE SKIP LOCKED</c> and marked with this host's id and a lease (<c>wf_bookmarks.claimed_by/claimed_until</c>),
/// so hosts sweeping at the same moment take different pages, and no host sweeps a timer another one holds. A resumed
/// timer's row is deleted by its commit, claim and all; a timer whose resume failed keeps its claim until the lease ends
/// (then any host may try it); a host that stops releases its claims; a host that dies releases them by expiry.
/// SQLite (one host per file) never claims: its sweep reads pages as before.
/// </summary>
/// <param name="Node">This host's id in the claims (machine, process, a random part: unique per store).</param>
/// <param name="Lease">How long a claim holds; also how late a dead host's claimed timers are taken over.</param>
public sealed record TimerClaim(string Node, TimeSpan Lease)
{
    public static TimerClaim ForThisProcess(TimeSpan lease) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}", lease);

    /// <summary>
    /// Claims up to <c>@take</c> due, unclaimed (or expired) timers after the cursor, oldest first, skipping rows another
    /// host is claiming at this moment; returns their ids. The CTE runs once (a plain <c>IN (subquery)</c> may not).
    /// </summary>
    internal static string ClaimSql(bool withCursor) =>
        "WITH page AS (SELECT \"id\" FROM \"wf_bookmarks\" " +
        "WHERE \"due_at\" <= @due_before AND (\"claimed_until\" IS NULL OR \"claimed_until\" <= @now) " +
        (withCursor ? "AND (\"due_at\" > @after_due OR (\"due_at\" = @after_due AND \"id\" > @after_id)) " : "") +
        "ORDER BY \"due_at\", \"id\" LIMIT @take FOR UPDATE SKIP LOCKED) " +
        "UPDATE \"wf_bookmarks\" b SET \"claimed_by\" = @node, \"claimed_until\" = @until FROM page WHERE b.\"id\" = page.\"id\" RETURNING b.\"id\"";

    internal const string ReleaseSql =
        "UPDATE \"wf_bookmarks\" SET \"claimed_by\" = NULL, \"claimed_until\" = NULL WHERE \"claimed_by\" = @node";

    /// <summary>The earliest end of a live claim (any host's): when its timers are free for another sweep.</summary>
    internal const string NextExpirySql =
        "SELECT MIN(\"claimed_until\") FROM \"wf_bookmarks\" WHERE \"claimed_until\" IS NOT NULL AND \"claimed_until\" > @after";
}
