using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

// SQLite only: WAL checkpoints off the writer's path.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// Checkpoints the SQLite WAL on a connection of its own, so the writer pays for little of it. The store's connections
    /// turn SQLite's automatic checkpoint off (it runs inside the committing writer: every ~1,000 WAL frames it copies
    /// the distinct pages of the WAL into the database file and fsyncs it while the batch's callers wait).
    /// </summary>
    /// <remarks>
    /// A PASSIVE checkpoint alone never lets the WAL start again from its beginning while commits keep coming: SQLite
    /// restarts it only at a write transaction's BEGIN that finds every frame copied, and the writer has always appended
    /// more frames by the time the background checkpoint ends (a 10,000-start run left a 150 MB WAL). So when a
    /// background checkpoint has ended, the writer copies the frames it committed meanwhile itself, between two
    /// transactions (<see cref="FinishOn"/>: one or two transactions' pages and the file's fsync), and its next BEGIN
    /// restarts the WAL.
    /// </remarks>
    private sealed class SqliteCheckpointer : IAsyncDisposable
    {
        private readonly IDbContextFactory<WorkflowDbContext> _factory;
        private readonly int _every;
        private readonly SemaphoreSlim _signal = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _uncheckpointed;
        private int _caughtUp;

        /// <summary>Copies what it can without waiting for readers or the writer (both the background and the writer's part).</summary>
        private const string PassiveCheckpoint = "PRAGMA wal_checkpoint(PASSIVE)";

        /// <summary>True once after each background checkpoint that ended: the writer should finish it (<see cref="FinishOn"/>).</summary>
        public bool TakeCaughtUp() => Volatile.Read(ref _caughtUp) == 1 && Interlocked.Exchange(ref _caughtUp, 0) == 1;

        /// <summary>
        /// On the writer's connection, between its transactions: copies what the background checkpoint left (the frames
        /// committed while it ran), so the next write transaction restarts the WAL. A failure only leaves the WAL longer.
        /// </summary>
        public static void FinishOn(DbConnection writer)
        {
            try
            {
                using var cmd = writer.CreateCommand();
                cmd.CommandText = PassiveCheckpoint;
                cmd.ExecuteNonQuery();
            }
            catch (DbException)
            {
            }
        }

        public SqliteCheckpointer(IDbContextFactory<WorkflowDbContext> factory, int every)
        {
            _factory = factory;
            _every = every;
            _loop = Task.Run(RunAsync);
        }

        public void Committed(int commits)
        {
            if (Interlocked.Add(ref _uncheckpointed, commits) >= _every && Interlocked.Read(ref _uncheckpointed) - commits < _every)
                _signal.Release();
        }

        private async Task RunAsync()
        {
            WorkflowDbContext? context = null;
            try
            {
                while (true)
                {
                    await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref _uncheckpointed, 0);
                    try
                    {
                        if (context is null)
                        {
                            context = await _factory.CreateDbContextAsync().ConfigureAwait(false);
                            await context.Database.OpenConnectionAsync().ConfigureAwait(false);
                        }
                        await using var cmd = context.Database.GetDbConnection().CreateCommand();
                        cmd.CommandText = PassiveCheckpoint;
                        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
                        Volatile.Write(ref _caughtUp, 1);
                    }
                    catch (Exception ex) when (ex is DbException or InvalidOperationException)
                    {
                        // A failed checkpoint only leaves the WAL longer; the next signal retries on a fresh connection.
                        if (context is not null) await context.DisposeAsync().ConfigureAwait(false);
                        context = null;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                if (context is not null) await context.DisposeAsync().ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
            _signal.Dispose();
        }
    }
}
