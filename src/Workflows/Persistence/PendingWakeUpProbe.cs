namespace Exit.Workflows.Persistence;

/// <summary>
/// PostgreSQL in a cluster: a read the group-commit writer runs inside a commit's own transaction, just before COMMIT, to
/// find a pending timer wake-up that fires no later than the commit's new timers and to hold it there (a row lock until the
/// commit ends). A commit it covers is marked (<see cref="InstanceCommit.TimersCovered"/>) and its timers need no wake-up
/// call after it. Built by the timers (<c>Timers/Quartz/QuartzWakeUpProbe</c>), which own the reasoning why that is safe;
/// the writer only runs it. Not registered: every commit's timers arm the wake-up as before.
/// </summary>
/// <param name="sql">
/// One statement with two <c>bigint</c> parameters in this order, <c>@not_before</c> and <c>@due</c> (UTC ticks), returning
/// no row or one row whose first column is the pending wake-up's fire time in UTC ticks, at or before <c>@due</c>.
/// </param>
/// <param name="notBefore">UTC ticks below which a pending wake-up is not relied on (the writer asks once per transaction).</param>
public sealed class PendingWakeUpProbe(string sql, Func<long> notBefore)
{
    public string Sql { get; } = sql;

    internal long NotBefore() => notBefore();
}
