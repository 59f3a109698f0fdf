using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Exit.Workflows.State;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Writes <see cref="InstanceCommit"/>s. With group commit, callers are queued on a channel and one writer loop takes
/// every waiting commit (up to <see cref="DatabaseOptions.MaxBatchSize"/>), applies each inside its own SAVEPOINT of a
/// single transaction, commits once (one fsync) and only then completes the callers' tasks. A commit that fails is
/// rolled back to its savepoint and only its caller sees the exception. Without group commit each call is its own
/// transaction (serialised in-process on SQLite, where there is a single writer anyway).
/// The hot path is plain ADO.NET on the context's connection (reused commands, no change tracking).
/// </summary>
internal sealed class InstanceCommitWriter : IAsyncDisposable
{
    private readonly IDbContextFactory<WorkflowDbContext> _factory;
    private readonly DatabaseOptions _options;
    private readonly ICommitParticipant[] _participants;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _directLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly SqliteCheckpointer? _checkpointer;
    private Task? _loop;
    private WriterSession? _session;

    /// <summary>Counters for measurements: transactions, commits and where the writer's time went (Stopwatch ticks).</summary>
    internal readonly WriterStatistics Statistics = new();

    public InstanceCommitWriter(IDbContextFactory<WorkflowDbContext> factory, DatabaseOptions options, IEnumerable<ICommitParticipant> participants)
    {
        _factory = factory;
        _options = options;
        _participants = participants.ToArray();
        if (options.Provider == DatabaseProvider.Sqlite && options.SqliteCheckpointEvery > 0)
            _checkpointer = new SqliteCheckpointer(factory, options.SqliteCheckpointEvery);
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ct.ThrowIfCancellationRequested();
        var pending = new PendingCommit(commit, ct);
        if (!_options.GroupCommit) return CommitDirectAsync(pending);
        EnsureLoop();
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(InstanceCommitWriter));
        return pending.Completion.Task;
    }

    private bool IsSqlite => _options.Provider == DatabaseProvider.Sqlite;

    private async Task CommitDirectAsync(PendingCommit pending)
    {
        if (IsSqlite)
        {
            // One writer at a time on a SQLite file anyway: serialise in-process and reuse one session.
            await _directLock.WaitAsync(pending.CancellationToken).ConfigureAwait(false);
            try
            {
                await WriteBatchAsync([pending], shared: true).ConfigureAwait(false);
            }
            finally
            {
                _directLock.Release();
            }
        }
        else
        {
            await WriteBatchAsync([pending], shared: false).ConfigureAwait(false);
        }
        await pending.Completion.Task.ConfigureAwait(false);
    }

    private void EnsureLoop()
    {
        if (_loop is not null) return;
        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        // PostgreSQL: each savepoint that writes is a subtransaction; past 64 in one transaction the server's
        // per-backend subtransaction cache overflows and every reader's snapshot gets slower.
        var maxBatch = Math.Max(1, _options.Provider == DatabaseProvider.Postgres ? Math.Min(_options.MaxBatchSize, 64) : _options.MaxBatchSize);
        var batch = new List<PendingCommit>(maxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested) pending.Completion.TrySetCanceled(pending.CancellationToken);
                else batch.Add(pending);
            }
            if (batch.Count == 0) continue;
            try
            {
                await WriteBatchAsync(batch, shared: true).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // WriteBatchAsync completes every caller itself; this only keeps the writer alive if that ever fails.
                foreach (var pending in batch) pending.Completion.TrySetException(ex);
            }
            // The callers just acknowledged were queued to the thread pool; give them a turn to send their next
            // commit so it joins the next transaction instead of waiting a whole fsync for the one after.
            if (batch.Count > 1) await Task.Yield();
        }
    }

    /// <summary>
    /// Never throws: every pending commit's task is completed, with success only after the transaction committed.
    /// <paramref name="shared"/>: use the long-lived writer session (its connection and prepared commands), which the
    /// caller guarantees is not used concurrently (the writer loop, or the SQLite direct-mode lock).
    /// </summary>
    private async Task WriteBatchAsync(IReadOnlyList<PendingCommit> batch, bool shared)
    {
        var errors = new Exception?[batch.Count];
        var started = Stopwatch.GetTimestamp();
        WriterSession? session = null;
        try
        {
            session = shared ? _session ??= await WriterSession.OpenAsync(_factory, IsSqlite).ConfigureAwait(false)
                             : await WriterSession.OpenAsync(_factory, IsSqlite).ConfigureAwait(false);
            var s = session.Statements;
            await using var transaction = await session.Connection.BeginTransactionAsync().ConfigureAwait(false);
            s.Begin(transaction);
            var commitContext = new CommitContext(session.Connection, transaction, _options.Provider);
            var useSavepoints = batch.Count > 1;
            var opened = Stopwatch.GetTimestamp();
            var applied = 0;
            var savepointOpen = false; // batched path: a successful commit's savepoint is released by the next round trip
            var sequentialFrom = useSavepoints && s.UsesBatches
                ? await ApplyAllInOneRoundTripAsync(s, commitContext, batch, errors).ConfigureAwait(false)
                : 0;
            applied = Enumerable.Range(0, sequentialFrom).Count(i => errors[i] is null);
            for (var i = sequentialFrom; i < batch.Count; i++)
            {
                try
                {
                    if (s.UsesBatches)
                    {
                        var release = savepointOpen;
                        savepointOpen = false;
                        await ApplyBatchedAsync(s, commitContext, batch[i], release, useSavepoints).ConfigureAwait(false);
                        savepointOpen = useSavepoints;
                    }
                    else
                    {
                        if (useSavepoints) await s.Savepoint().ConfigureAwait(false);
                        await ApplyAsync(s, commitContext, batch[i]).ConfigureAwait(false);
                        if (useSavepoints) await s.ReleaseSavepoint().ConfigureAwait(false);
                    }
                    applied++;
                }
                catch (Exception ex)
                {
                    errors[i] = Translate(ex);
                    if (useSavepoints)
                    {
                        await s.RollbackToSavepoint().ConfigureAwait(false);
                        await s.ReleaseSavepoint().ConfigureAwait(false);
                    }
                }
            }
            var appliedAt = Stopwatch.GetTimestamp();
            if (applied > 0) await transaction.CommitAsync().ConfigureAwait(false);
            var committed = Stopwatch.GetTimestamp();
            Statistics.Record(batch.Count, opened - started, appliedAt - opened, committed - appliedAt);
        }
        catch (Exception ex)
        {
            // The transaction as a whole failed (connection, I/O, commit): nothing of the batch is durable.
            if (session is not null)
            {
                if (shared) _session = null;
                await session.DisposeAsync().ConfigureAwait(false);
                session = null;
            }
            foreach (var pending in batch) pending.Completion.TrySetException(ex);
            return;
        }
        finally
        {
            if (!shared && session is not null) await session.DisposeAsync().ConfigureAwait(false);
        }

        var commits = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            if (errors[i] is { } error)
            {
                pending.Completion.TrySetException(error);
            }
            else
            {
                pending.Commit.Instance.ConcurrencyVersion = pending.NewVersion;
                pending.Completion.TrySetResult();
                commits++;
            }
        }
        _checkpointer?.Committed(commits);
    }

    private async Task ApplyAsync(Statements s, CommitContext commitContext, PendingCommit pending)
    {
        var commit = pending.Commit;
        var instance = commit.Instance;
        var ct = CancellationToken.None;

        if (commit.ExpectedVersion is null)
        {
            if (await s.InsertInstance(instance, pending.NewVersion, pending.State, ct).ConfigureAwait(false) == 0)
                throw new ConcurrencyConflictException($"Workflow instance '{instance.Id}' already exists.");
        }
        else if (await s.UpdateInstance(instance, commit.ExpectedVersion.Value, pending.NewVersion, pending.State, ct).ConfigureAwait(false) == 0)
        {
            throw new ConcurrencyConflictException(
                $"Workflow instance '{instance.Id}' is no longer at version {commit.ExpectedVersion} (changed by another commit, or missing).");
        }

        foreach (var bookmarkId in commit.RemovedBookmarkIds)
        {
            if (await s.DeleteBookmark(bookmarkId, ct).ConfigureAwait(false) == 0)
                throw new ConcurrencyConflictException($"Bookmark '{bookmarkId}' was already removed (resumed by another commit).");
        }

        foreach (var bookmark in commit.AddedBookmarks)
            await s.InsertBookmark(bookmark, ct).ConfigureAwait(false);

        for (var i = 0; i < commit.Journal.Count; i += Statements.JournalRowsPerInsert)
            await s.InsertJournal(commit, i, Math.Min(Statements.JournalRowsPerInsert, commit.Journal.Count - i), ct).ConfigureAwait(false);

        if (commit.Effects.Count > 0)
        {
            foreach (var participant in _participants)
                await participant.ApplyAsync(commitContext, commit.Effects, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// PostgreSQL: sends the commits of the batch in as few round trips as possible, each behind its own savepoint
    /// (<c>exit_c{k}</c>): a round ends after the first commit with effects for participants, which run right after it.
    /// The first commit of a round that failed (an error, an instance row not matched, a bookmark already gone, a
    /// participant) is rolled back to its savepoint, which also drops the commits after it; those are sent again.
    /// Conflicts are rare, so a batch without effects is one round trip plus the commit.
    /// Returns the index from which the caller must continue one commit at a time (when an error cannot be placed).
    /// </summary>
    private async Task<int> ApplyAllInOneRoundTripAsync(Statements s, CommitContext commitContext, IReadOnlyList<PendingCommit> batch, Exception?[] errors)
    {
        var start = 0;
        while (start < batch.Count)
        {
            // A commit with effects ends the round: its participants must run after its statements and before any later
            // savepoint, so that rolling back to its savepoint undoes its own writes and nothing of the commits before it.
            var end = start;
            while (end < batch.Count && !HasParticipantWork(batch[end])) end++;
            end = Math.Min(end + 1, batch.Count);

            var outcome = await s.ExecuteCommitsAsync(batch, start, end).ConfigureAwait(false);
            var failed = -1;
            Exception? error = null;
            if (outcome.Error is { } ex)
            {
                if (outcome.FailedIndex < 0)
                {
                    await s.RollbackToSavepoint(start).ConfigureAwait(false);
                    return start; // could not tell which commit failed: the caller goes on one by one
                }
                failed = outcome.FailedIndex;
                error = Translate(ex);
            }
            else
            {
                for (var k = start; k < end && failed < 0; k++)
                {
                    error = Conflict(batch[k].Commit, outcome.InstanceRows[k - start], outcome.DeletedRows[k - start]);
                    if (error is not null) failed = k;
                }
            }

            if (failed < 0 && HasParticipantWork(batch[end - 1]))
            {
                try
                {
                    foreach (var participant in _participants)
                        await participant.ApplyAsync(commitContext, batch[end - 1].Commit.Effects, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception pex)
                {
                    failed = end - 1;
                    error = Translate(pex);
                }
            }

            if (failed < 0)
            {
                start = end;
                continue;
            }
            await s.RollbackToSavepoint(failed).ConfigureAwait(false);
            errors[failed] = error;
            start = failed + 1; // the commits after it in this round were rolled back with it: send them again
        }
        return batch.Count;
    }

    private bool HasParticipantWork(PendingCommit pending) => _participants.Length > 0 && pending.Commit.Effects.Count > 0;

    private static ConcurrencyConflictException? Conflict(InstanceCommit commit, int instanceRows, int[] deletedRows)
    {
        if (instanceRows == 0)
        {
            return commit.ExpectedVersion is null
                ? new ConcurrencyConflictException($"Workflow instance '{commit.Instance.Id}' already exists.")
                : new ConcurrencyConflictException(
                    $"Workflow instance '{commit.Instance.Id}' is no longer at version {commit.ExpectedVersion} (changed by another commit, or missing).");
        }
        for (var i = 0; i < deletedRows.Length; i++)
        {
            if (deletedRows[i] == 0)
                return new ConcurrencyConflictException($"Bookmark '{commit.RemovedBookmarkIds[i]}' was already removed (resumed by another commit).");
        }
        return null;
    }

    /// <summary>The statements of one commit in one round trip, then the participants; throws to roll it back.</summary>
    private async Task ApplyBatchedAsync(Statements s, CommitContext commitContext, PendingCommit pending, bool releasePrevious, bool savepoint)
    {
        var commit = pending.Commit;
        var (instanceRows, deleted) = await s.ExecuteCommitBatchAsync(commit, pending.NewVersion, pending.State, releasePrevious, savepoint,
            CancellationToken.None).ConfigureAwait(false);
        if (Conflict(commit, instanceRows, deleted) is { } conflict) throw conflict;
        if (commit.Effects.Count > 0)
        {
            foreach (var participant in _participants)
                await participant.ApplyAsync(commitContext, commit.Effects, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static Exception Translate(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 19 } when ex.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
            => new ConcurrencyConflictException($"A row of this commit already exists: {ex.Message}"),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
            => new ConcurrencyConflictException($"A row of this commit already exists: {pg.MessageText} ({pg.ConstraintName})"),
        _ => ex,
    };

    private int _disposed;

    /// <summary>Drains the queue (queued commits are still written), then closes the writer. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate) loop = _loop;
        if (loop is not null) await loop.ConfigureAwait(false);
        await _directLock.WaitAsync().ConfigureAwait(false);
        if (_session is not null) await _session.DisposeAsync().ConfigureAwait(false);
        _session = null;
        _directLock.Release();
        if (_checkpointer is not null) await _checkpointer.DisposeAsync().ConfigureAwait(false);
    }

    internal sealed class WriterStatistics
    {
        private long _transactions, _commits, _openTicks, _applyTicks, _commitTicks;

        public long Transactions => Interlocked.Read(ref _transactions);
        public long Commits => Interlocked.Read(ref _commits);

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
                $"{Transactions} transactions, {Commits / (double)tx:F1} commits each; per transaction open {Ms(_openTicks):F2} ms, apply {Ms(_applyTicks):F2} ms, commit {Ms(_commitTicks):F2} ms");
        }
    }

    private sealed class PendingCommit(InstanceCommit commit, CancellationToken ct)
    {
        public InstanceCommit Commit { get; } = commit;
        public CancellationToken CancellationToken { get; } = ct;

        /// <summary>Serialised on the caller's thread so the single writer only does I/O.</summary>
        public string State { get; } = InstanceStateSerializer.Serialize(commit.Instance);

        public long NewVersion { get; } = (commit.ExpectedVersion ?? 0) + 1;

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
        }

        public DbConnection Connection { get; }
        public Statements Statements { get; }

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
            await _context.Database.CloseConnectionAsync().ConfigureAwait(false);
            await _context.DisposeAsync().ConfigureAwait(false);
        }
    }

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

    /// <summary>
    /// The commit statements. SQLite: commands prepared once per writer session and re-executed with new values.
    /// PostgreSQL: each commit's statements go to the server as one <see cref="DbBatch"/> (one round trip).
    /// </summary>
    private sealed class Statements(DbConnection connection, bool synchronous) : IAsyncDisposable
    {
        public const int JournalRowsPerInsert = 8;

        private const string InsertInstanceSql =
            "INSERT INTO \"wf_instances\" (\"id\", \"definition_id\", \"definition_version_id\", \"version\", \"correlation_id\", \"name\", " +
            "\"status\", \"sub_status\", \"incident_count\", \"created_at\", \"updated_at\", \"finished_at\", \"concurrency_version\", \"state\") " +
            "VALUES (@id, @definition_id, @definition_version_id, @version, @correlation_id, @name, @status, @sub_status, @incident_count, " +
            "@created_at, @updated_at, @finished_at, @concurrency_version, @state) ON CONFLICT (\"id\") DO NOTHING";

        private static readonly (string, DbType)[] InsertInstanceParameters =
        [
            ("id", DbType.String), ("definition_id", DbType.String), ("definition_version_id", DbType.String), ("version", DbType.Int32),
            ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
            ("incident_count", DbType.Int32), ("created_at", DbType.Int64), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64),
            ("concurrency_version", DbType.Int64), ("state", DbType.String),
        ];

        private const string UpdateInstanceSql =
            "UPDATE \"wf_instances\" SET \"correlation_id\" = @correlation_id, \"name\" = @name, \"status\" = @status, \"sub_status\" = @sub_status, " +
            "\"incident_count\" = @incident_count, \"updated_at\" = @updated_at, \"finished_at\" = @finished_at, " +
            "\"concurrency_version\" = @concurrency_version, \"state\" = @state WHERE \"id\" = @id AND \"concurrency_version\" = @expected_version";

        private static readonly (string, DbType)[] UpdateInstanceParameters =
        [
            ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
            ("incident_count", DbType.Int32), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64), ("concurrency_version", DbType.Int64),
            ("state", DbType.String), ("id", DbType.String), ("expected_version", DbType.Int64),
        ];

        private const string DeleteBookmarkSql = "DELETE FROM \"wf_bookmarks\" WHERE \"id\" = @id";

        private static readonly (string, DbType)[] DeleteBookmarkParameters = [("id", DbType.String)];

        private const string InsertBookmarkSql =
            "INSERT INTO \"wf_bookmarks\" (\"id\", \"instance_id\", \"activity_instance_id\", \"activity_node_id\", \"kind\", \"key\", " +
            "\"correlation_id\", \"due_at\", \"created_at\", \"payload\") VALUES (@id, @instance_id, @activity_instance_id, @activity_node_id, " +
            "@kind, @key, @correlation_id, @due_at, @created_at, @payload)";

        private static readonly (string, DbType)[] InsertBookmarkParameters =
        [
            ("id", DbType.String), ("instance_id", DbType.String), ("activity_instance_id", DbType.String), ("activity_node_id", DbType.String),
            ("kind", DbType.String), ("key", DbType.String), ("correlation_id", DbType.String), ("due_at", DbType.Int64),
            ("created_at", DbType.Int64), ("payload", DbType.String),
        ];

        private static readonly (string Name, DbType Type)[] JournalColumns =
        [
            ("instance_id", DbType.String), ("sequence", DbType.Int64), ("timestamp", DbType.Int64), ("activity_instance_id", DbType.String),
            ("parent_activity_instance_id", DbType.String), ("activity_id", DbType.String), ("activity_type", DbType.String),
            ("activity_type_version", DbType.Int32), ("activity_name", DbType.String), ("node_id", DbType.String), ("event_name", DbType.String),
            ("message", DbType.String), ("activity_state", DbType.String), ("payload", DbType.String),
        ];

        private static readonly (string Sql, (string, DbType)[] Parameters)[] JournalInserts =
            Enumerable.Range(0, JournalRowsPerInsert + 1).Select(JournalInsert).ToArray();

        private readonly List<DbCommand> _all = [];
        private readonly DbCommand?[] _insertJournal = new DbCommand?[JournalRowsPerInsert + 1];
        private DbTransaction? _transaction;
        private DbCommand? _insertInstance, _updateInstance, _deleteBookmark, _insertBookmark, _savepoint, _release, _rollbackTo;

        /// <summary>PostgreSQL (any provider with DbBatch and real async I/O): one round trip per commit.</summary>
        public bool UsesBatches { get; } = !synchronous && connection.CanCreateBatch;

        /// <summary>Points every command at the new transaction (Microsoft.Data.Sqlite insists).</summary>
        public void Begin(DbTransaction transaction)
        {
            _transaction = transaction;
            foreach (var cmd in _all) cmd.Transaction = transaction;
        }

        public Task<int> Savepoint() => Execute(_savepoint ??= Create("SAVEPOINT exit_commit", []));

        public Task<int> ReleaseSavepoint() => Execute(_release ??= Create("RELEASE SAVEPOINT exit_commit", []));

        public Task<int> RollbackToSavepoint() => Execute(_rollbackTo ??= Create("ROLLBACK TO SAVEPOINT exit_commit", []));

        public Task<int> InsertInstance(WorkflowInstance i, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _insertInstance ??= Create(InsertInstanceSql, InsertInstanceParameters);
            BindInsertInstance(cmd.Parameters, i, newVersion, state);
            return Execute(cmd, ct);
        }

        public Task<int> UpdateInstance(WorkflowInstance i, long expectedVersion, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _updateInstance ??= Create(UpdateInstanceSql, UpdateInstanceParameters);
            BindUpdateInstance(cmd.Parameters, i, expectedVersion, newVersion, state);
            return Execute(cmd, ct);
        }

        public Task<int> DeleteBookmark(string id, CancellationToken ct)
        {
            var cmd = _deleteBookmark ??= Create(DeleteBookmarkSql, DeleteBookmarkParameters);
            cmd.Parameters[0].Value = id;
            return Execute(cmd, ct);
        }

        public Task<int> InsertBookmark(Bookmark b, CancellationToken ct)
        {
            var cmd = _insertBookmark ??= Create(InsertBookmarkSql, InsertBookmarkParameters);
            BindInsertBookmark(cmd.Parameters, b);
            return Execute(cmd, ct);
        }

        /// <summary>Inserts <paramref name="count"/> (≤ <see cref="JournalRowsPerInsert"/>) records in one multi-row statement.</summary>
        public Task<int> InsertJournal(InstanceCommit commit, int offset, int count, CancellationToken ct)
        {
            var cmd = _insertJournal[count] ??= Create(JournalInserts[count].Sql, JournalInserts[count].Parameters);
            BindJournal(cmd.Parameters, commit, offset, count);
            return Execute(cmd, ct);
        }

        /// <summary>
        /// Sends a commit's statements in one batch: optionally releasing the previous commit's savepoint and opening
        /// this one's first. Returns the rows the instance statement and each bookmark delete affected.
        /// </summary>
        public async Task<(int InstanceRows, int[] DeletedRows)> ExecuteCommitBatchAsync(
            InstanceCommit commit, long newVersion, string state, bool releasePrevious, bool savepoint, CancellationToken ct)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            if (releasePrevious) Add(batch, "RELEASE SAVEPOINT exit_commit", []);
            if (savepoint) Add(batch, "SAVEPOINT exit_commit", []);
            var (instanceIndex, firstDelete) = AddCommit(batch, commit, newVersion, state);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            var deleted = new int[commit.RemovedBookmarkIds.Count];
            for (var i = 0; i < deleted.Length; i++) deleted[i] = batch.BatchCommands[firstDelete + i].RecordsAffected;
            return (batch.BatchCommands[instanceIndex].RecordsAffected, deleted);
        }

        public sealed record BatchOutcome(int[] InstanceRows, int[][] DeletedRows, Exception? Error, int FailedIndex);

        /// <summary>Commits <paramref name="start"/> to <paramref name="end"/> (exclusive), each behind savepoint <c>exit_c{k}</c>, in one batch.</summary>
        public async Task<BatchOutcome> ExecuteCommitsAsync(IReadOnlyList<PendingCommit> commits, int start, int end)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            var owner = new List<int>();
            var instanceIndex = new int[end - start];
            var firstDelete = new int[end - start];
            for (var k = start; k < end; k++)
            {
                Add(batch, $"SAVEPOINT exit_c{k}", []);
                (instanceIndex[k - start], firstDelete[k - start]) = AddCommit(batch, commits[k].Commit, commits[k].NewVersion, commits[k].State);
                while (owner.Count < batch.BatchCommands.Count) owner.Add(k);
            }
            try
            {
                await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                var failedAt = ex.BatchCommand is { } failedCommand ? batch.BatchCommands.IndexOf(failedCommand) : -1;
                return new BatchOutcome([], [], ex, failedAt >= 0 ? owner[failedAt] : -1);
            }
            var rows = new int[instanceIndex.Length];
            var deleted = new int[instanceIndex.Length][];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = batch.BatchCommands[instanceIndex[i]].RecordsAffected;
                deleted[i] = new int[commits[start + i].Commit.RemovedBookmarkIds.Count];
                for (var d = 0; d < deleted[i].Length; d++) deleted[i][d] = batch.BatchCommands[firstDelete[i] + d].RecordsAffected;
            }
            return new BatchOutcome(rows, deleted, null, -1);
        }

        public async Task RollbackToSavepoint(int commitIndex)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = $"ROLLBACK TO SAVEPOINT exit_c{commitIndex}";
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        private static (int InstanceIndex, int FirstDelete) AddCommit(DbBatch batch, InstanceCommit commit, long newVersion, string state)
        {
            var instanceIndex = batch.BatchCommands.Count;
            if (commit.ExpectedVersion is null)
                BindInsertInstance(Add(batch, InsertInstanceSql, InsertInstanceParameters), commit.Instance, newVersion, state);
            else
                BindUpdateInstance(Add(batch, UpdateInstanceSql, UpdateInstanceParameters), commit.Instance, commit.ExpectedVersion.Value, newVersion, state);
            var firstDelete = batch.BatchCommands.Count;
            foreach (var id in commit.RemovedBookmarkIds) Add(batch, DeleteBookmarkSql, DeleteBookmarkParameters)[0].Value = id;
            foreach (var b in commit.AddedBookmarks) BindInsertBookmark(Add(batch, InsertBookmarkSql, InsertBookmarkParameters), b);
            for (var i = 0; i < commit.Journal.Count; i += JournalRowsPerInsert)
            {
                var count = Math.Min(JournalRowsPerInsert, commit.Journal.Count - i);
                BindJournal(Add(batch, JournalInserts[count].Sql, JournalInserts[count].Parameters), commit, i, count);
            }
            return (instanceIndex, firstDelete);
        }

        private static DbParameterCollection Add(DbBatch batch, string sql, (string Name, DbType Type)[] parameters)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                p.DbType = type;
                cmd.Parameters.Add(p);
            }
            batch.BatchCommands.Add(cmd);
            return cmd.Parameters;
        }

        private static void BindInsertInstance(DbParameterCollection p, WorkflowInstance i, long newVersion, string state)
        {
            p[0].Value = i.Id;
            p[1].Value = i.DefinitionId;
            p[2].Value = i.DefinitionVersionId;
            p[3].Value = i.DefinitionVersion;
            p[4].Value = (object?)i.CorrelationId ?? DBNull.Value;
            p[5].Value = (object?)i.Name ?? DBNull.Value;
            p[6].Value = (int)i.Status;
            p[7].Value = (int)i.SubStatus;
            p[8].Value = i.Incidents.Count;
            p[9].Value = i.CreatedAt.UtcTicks;
            p[10].Value = i.UpdatedAt.UtcTicks;
            p[11].Value = i.FinishedAt is { } f ? f.UtcTicks : DBNull.Value;
            p[12].Value = newVersion;
            p[13].Value = state;
        }

        private static void BindUpdateInstance(DbParameterCollection p, WorkflowInstance i, long expectedVersion, long newVersion, string state)
        {
            p[0].Value = (object?)i.CorrelationId ?? DBNull.Value;
            p[1].Value = (object?)i.Name ?? DBNull.Value;
            p[2].Value = (int)i.Status;
            p[3].Value = (int)i.SubStatus;
            p[4].Value = i.Incidents.Count;
            p[5].Value = i.UpdatedAt.UtcTicks;
            p[6].Value = i.FinishedAt is { } f ? f.UtcTicks : DBNull.Value;
            p[7].Value = newVersion;
            p[8].Value = state;
            p[9].Value = i.Id;
            p[10].Value = expectedVersion;
        }

        private static void BindInsertBookmark(DbParameterCollection p, Bookmark b)
        {
            p[0].Value = b.Id;
            p[1].Value = b.InstanceId;
            p[2].Value = b.ActivityInstanceId;
            p[3].Value = b.ActivityNodeId;
            p[4].Value = b.Kind;
            p[5].Value = (object?)b.Key ?? DBNull.Value;
            p[6].Value = (object?)b.CorrelationId ?? DBNull.Value;
            p[7].Value = b.DueAt is { } d ? d.UtcTicks : DBNull.Value;
            p[8].Value = b.CreatedAt.UtcTicks;
            p[9].Value = (object?)InstanceStateSerializer.ToJson(b.Payload) ?? DBNull.Value;
        }

        private static void BindJournal(DbParameterCollection p, InstanceCommit commit, int offset, int count)
        {
            var records = commit.Journal;
            for (var row = 0; row < count; row++)
            {
                var r = records[offset + row];
                var b = row * JournalColumns.Length;
                p[b].Value = r.InstanceId;
                p[b + 1].Value = r.Sequence;
                p[b + 2].Value = r.Timestamp.UtcTicks;
                p[b + 3].Value = r.ActivityInstanceId;
                p[b + 4].Value = (object?)r.ParentActivityInstanceId ?? DBNull.Value;
                p[b + 5].Value = r.ActivityId;
                p[b + 6].Value = r.ActivityType;
                p[b + 7].Value = r.ActivityTypeVersion;
                p[b + 8].Value = (object?)r.ActivityName ?? DBNull.Value;
                p[b + 9].Value = JournalCompaction.NodeIdText(records, offset + row);
                p[b + 10].Value = r.EventName;
                p[b + 11].Value = (object?)r.Message ?? DBNull.Value;
                p[b + 12].Value = (object?)JournalCompaction.StateText(records, offset + row) ?? DBNull.Value;
                p[b + 13].Value = (object?)InstanceStateSerializer.ToJson(r.Payload) ?? DBNull.Value;
            }
        }

        private static (string Sql, (string, DbType)[] Parameters) JournalInsert(int rows)
        {
            var sql = new StringBuilder("INSERT INTO \"wf_journal\" (");
            sql.AppendJoin(", ", JournalColumns.Select(c => $"\"{c.Name}\"")).Append(") VALUES ");
            var parameters = new List<(string, DbType)>(rows * JournalColumns.Length);
            for (var row = 0; row < rows; row++)
            {
                if (row > 0) sql.Append(", ");
                sql.Append('(');
                for (var c = 0; c < JournalColumns.Length; c++)
                {
                    var name = $"{JournalColumns[c].Name}_{row}";
                    if (c > 0) sql.Append(", ");
                    sql.Append('@').Append(name);
                    parameters.Add((name, JournalColumns[c].Type));
                }
                sql.Append(')');
            }
            return (sql.ToString(), [.. parameters]);
        }

        private Task<int> Execute(DbCommand cmd, CancellationToken ct = default) =>
            synchronous ? Task.FromResult(cmd.ExecuteNonQuery()) : cmd.ExecuteNonQueryAsync(ct);

        private DbCommand Create(string sql, (string Name, DbType Type)[] parameters)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                p.DbType = type;
                cmd.Parameters.Add(p);
            }
            _all.Add(cmd);
            return cmd;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var cmd in _all) await cmd.DisposeAsync().ConfigureAwait(false);
            _all.Clear();
        }
    }
}
