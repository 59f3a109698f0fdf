using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

// SQLite only: WAL checkpoints off the writer's path.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// Checkpoints the SQLite WAL on a connection of its own, so the writer never pays for it. The store's connections
    /// turn SQLite's automatic checkpoint off (it would run inside the committing writer, and with readers present it
    /// re-runs, with an extra fsync of the database file, on every commit).
    /// </summary>
    private sealed class SqliteCheckpointer : IAsyncDisposable
    {
        private readonly IDbContextFactory<WorkflowDbContext> _factory;
        private readonly int _every;
        private readonly SemaphoreSlim _signal = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _uncheckpointed;

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
                        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
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
