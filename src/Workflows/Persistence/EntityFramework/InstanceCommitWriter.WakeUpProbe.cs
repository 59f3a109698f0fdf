using System.Data;
using System.Data.Common;

namespace Exit.Workflows.Persistence.EntityFramework;

// PostgreSQL in a cluster: the pending timer wake-up read and held inside the writer's transaction (PendingWakeUpProbe).
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// Runs the wake-up probe, if one is registered and a commit of the batch that is about to be committed added a timer,
    /// as the transaction's last statement before COMMIT (one round trip per transaction, not per commit): last, so the
    /// row lock it takes is held for as short a time as possible and no commit's savepoint is rolled back after it (a
    /// rollback to a savepoint taken before the lock would release it). Marks each applied commit whose earliest timer is
    /// at or after the wake-up it found. An error here fails the transaction like any other of its statements.
    /// </summary>
    private async Task ProbeWakeUpAsync(Statements s, IReadOnlyList<PendingCommit> batch, Exception?[] errors)
    {
        if (_wakeUpProbe is null || _options.Provider != DatabaseProvider.Postgres) return;
        long latest = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is null && EarliestTimer(batch[i].Commit) is { } due && due > latest) latest = due;
        }
        if (latest == 0) return;
        if (await s.ProbeWakeUp(_wakeUpProbe, latest).ConfigureAwait(false) is not { } firesAt) return;
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is null && EarliestTimer(batch[i].Commit) is { } due && due >= firesAt) batch[i].Commit.TimersCovered = true;
        }
    }

    /// <summary>UTC ticks of the earliest timer the commit added, or null.</summary>
    private static long? EarliestTimer(InstanceCommit commit)
    {
        long? earliest = null;
        foreach (var bookmark in commit.AddedBookmarks)
        {
            if (bookmark.DueAt is { } due && (earliest is null || due.UtcTicks < earliest)) earliest = due.UtcTicks;
        }
        return earliest;
    }

    private sealed partial class Statements
    {
        private static readonly (string, DbType)[] ProbeParameters = [("not_before", DbType.Int64), ("due", DbType.Int64)];
        private DbCommand? _probe;

        /// <summary>The pending wake-up's fire time (UTC ticks) the probe found and locked, or null.</summary>
        public async Task<long?> ProbeWakeUp(PendingWakeUpProbe probe, long due)
        {
            var cmd = _probe ??= Create(probe.Sql, ProbeParameters);
            cmd.Parameters[0].Value = probe.NotBefore();
            cmd.Parameters[1].Value = due;
            return await cmd.ExecuteScalarAsync().ConfigureAwait(false) is long firesAt ? firesAt : null;
        }
    }
}
