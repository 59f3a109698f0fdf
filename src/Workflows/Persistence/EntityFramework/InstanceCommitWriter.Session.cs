using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

// The writer's bookkeeping: a queued commit, the open session with its prepared statements, and the counters.
internal sealed partial class InstanceCommitWriter
{
    internal sealed class WriterStatistics
    {
        private long _transactions, _commits, _openTicks, _applyTicks, _commitTicks, _retried;

        public long Transactions => Interlocked.Read(ref _transactions);
        public long Commits => Interlocked.Read(ref _commits);

        /// <summary>Batches whose first attempt without savepoints failed and were applied again commit by commit.</summary>
        public long RetriedBatches => Interlocked.Read(ref _retried);

        public void Retried()
        {
            Interlocked.Increment(ref _retried);
            Exit.Workflows.Diagnostics.WorkflowTelemetry.CommitBatchAppliedAgain();
        }

        public void Record(int commits, long open, long apply, long commit)
        {
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _commits, commits);
            Interlocked.Add(ref _openTicks, open);
            Interlocked.Add(ref _applyTicks, apply);
            Interlocked.Add(ref _commitTicks, commit);
        }

        public override string ToString()
        {
            var tx = Math.Max(1, Transactions);
            double Ms(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency / tx;
            return FormattableString.Invariant(
                $"{Transactions} transactions, {Commits / (double)tx:F1} commits each; per transaction open {Ms(_openTicks):F2} ms, apply {Ms(_applyTicks):F2} ms, commit {Ms(_commitTicks):F2} ms; {RetriedBatches} batches applied again commit by commit");
        }
    }

    private sealed class PendingCommit
    {
        public PendingCommit(InstanceCommit commit, CancellationToken ct, bool rowValues = false)
        {
            Commit = commit;
            CancellationToken = ct;
            State = InstanceStateSerializer.Serialize(commit.Instance);
            NewVersion = (commit.ExpectedVersion ?? 0) + 1;
            if (rowValues) Rows = new CommitRowValues(commit, NewVersion, State);
        }

        public InstanceCommit Commit { get; }
        public CancellationToken CancellationToken { get; }

        /// <summary>Serialised on the caller's thread so the single writer only does I/O.</summary>
        public string State { get; }

        public long NewVersion { get; }

        /// <summary>Group commit: every row's values, worked out on the caller's thread (see <see cref="CommitRowValues"/>).</summary>
        public CommitRowValues? Rows { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A writer's own context and open connection, with its commands prepared once and reused across transactions.</summary>
    private sealed class WriterSession : IAsyncDisposable
    {
        private readonly WorkflowDbContext _context;

        private WriterSession(WorkflowDbContext context, DbConnection connection, bool synchronous)
        {
            _context = context;
            Connection = connection;
            Statements = new Statements(connection, synchronous);
            Commands = new CommitCommandCache(connection);
            SqliteBatch = synchronous && connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? new SqliteBatchStatements(sqlite) : null;
            PostgresBatch = connection is Npgsql.NpgsqlConnection ? new PostgresBatchStatements() : null;
        }

        public DbConnection Connection { get; }
        public Statements Statements { get; }

        /// <summary>SQLite: the batch's rows in multi-row statements (see <see cref="SqliteBatchStatements"/>).</summary>
        public SqliteBatchStatements? SqliteBatch { get; }

        /// <summary>PostgreSQL: the batch's rows in one statement per kind (see <see cref="PostgresBatchStatements"/>).</summary>
        public PostgresBatchStatements? PostgresBatch { get; }

        /// <summary>The commit participants' prepared statements on this connection.</summary>
        public CommitCommandCache Commands { get; }

        public static async Task<WriterSession> OpenAsync(IDbContextFactory<WorkflowDbContext> factory, bool sqlite)
        {
            var context = await factory.CreateDbContextAsync().ConfigureAwait(false);
            try
            {
                await context.Database.OpenConnectionAsync().ConfigureAwait(false);
                // Microsoft.Data.Sqlite's async methods run synchronously anyway; calling the sync ones saves the task overhead.
                return new WriterSession(context, context.Database.GetDbConnection(), synchronous: sqlite);
            }
            catch
            {
                await context.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Statements.DisposeAsync().ConfigureAwait(false);
            SqliteBatch?.Dispose();
            await Commands.DisposeAsync().ConfigureAwait(false);
            await _context.Database.CloseConnectionAsync().ConfigureAwait(false);
            await _context.DisposeAsync().ConfigureAwait(false);
        }
    }
}
