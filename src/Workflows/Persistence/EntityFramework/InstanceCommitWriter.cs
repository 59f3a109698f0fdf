using System.Data;
using System.Data.Common;
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
    private const string Savepoint = "exit_commit";

    private readonly IDbContextFactory<WorkflowDbContext> _factory;
    private readonly DatabaseOptions _options;
    private readonly ICommitParticipant[] _participants;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _directLock = new(1, 1);
    private readonly Lock _gate = new();
    private Task? _loop;

    /// <summary>Counters for measurements: transactions, commits and where the writer's time went (Stopwatch ticks).</summary>
    internal readonly WriterStatistics Statistics = new();

    public InstanceCommitWriter(IDbContextFactory<WorkflowDbContext> factory, DatabaseOptions options, IEnumerable<ICommitParticipant> participants)
    {
        _factory = factory;
        _options = options;
        _participants = participants.ToArray();
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

    private async Task CommitDirectAsync(PendingCommit pending)
    {
        var serialise = _options.Provider == DatabaseProvider.Sqlite;
        if (serialise) await _directLock.WaitAsync(pending.CancellationToken).ConfigureAwait(false);
        try
        {
            await WriteBatchAsync([pending]).ConfigureAwait(false);
        }
        finally
        {
            if (serialise) _directLock.Release();
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
        var batch = new List<PendingCommit>(Math.Min(_options.MaxBatchSize, 1024));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested) pending.Completion.TrySetCanceled(pending.CancellationToken);
                else batch.Add(pending);
            }
            if (batch.Count > 0) await WriteBatchAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Never throws: every pending commit's task is completed (result only after the transaction committed).</summary>
    private async Task WriteBatchAsync(IReadOnlyList<PendingCommit> batch)
    {
        var errors = new Exception?[batch.Count];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await using var context = await _factory.CreateDbContextAsync().ConfigureAwait(false);
            await context.Database.OpenConnectionAsync().ConfigureAwait(false);
            var connection = context.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using var statements = new Statements(connection, transaction);
            var commitContext = new CommitContext(connection, transaction, _options.Provider);
            var useSavepoints = batch.Count > 1;
            var opened = System.Diagnostics.Stopwatch.GetTimestamp();
            var applied = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (useSavepoints) await transaction.SaveAsync(Savepoint).ConfigureAwait(false);
                try
                {
                    await ApplyAsync(statements, commitContext, batch[i]).ConfigureAwait(false);
                    if (useSavepoints) await transaction.ReleaseAsync(Savepoint).ConfigureAwait(false);
                    applied++;
                }
                catch (Exception ex)
                {
                    errors[i] = Translate(ex);
                    if (useSavepoints)
                    {
                        await transaction.RollbackAsync(Savepoint).ConfigureAwait(false);
                        await transaction.ReleaseAsync(Savepoint).ConfigureAwait(false);
                    }
                }
            }
            var appliedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            if (applied > 0) await transaction.CommitAsync().ConfigureAwait(false);
            var committed = System.Diagnostics.Stopwatch.GetTimestamp();
            Statistics.Record(batch.Count, opened - started, appliedAt - opened, committed - appliedAt);
        }
        catch (Exception ex)
        {
            // The transaction as a whole failed (connection, I/O, commit): nothing of the batch is durable.
            foreach (var pending in batch) pending.Completion.TrySetException(ex);
            return;
        }

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
            }
        }
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

        foreach (var record in commit.Journal)
            await s.InsertJournal(record, ct).ConfigureAwait(false);

        if (commit.Effects.Count > 0)
        {
            foreach (var participant in _participants)
                await participant.ApplyAsync(commitContext, commit.Effects, ct).ConfigureAwait(false);
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_gate) loop = _loop;
        if (loop is not null) await loop.ConfigureAwait(false);
        _directLock.Dispose();
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

    /// <summary>The commit statements, created once per transaction and re-executed with new parameter values.</summary>
    private sealed class Statements(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private const string InstanceColumns =
            "\"id\", \"definition_id\", \"definition_version_id\", \"version\", \"correlation_id\", \"name\", \"status\", \"sub_status\", " +
            "\"incident_count\", \"created_at\", \"updated_at\", \"finished_at\", \"concurrency_version\", \"state\"";

        private DbCommand? _insertInstance, _updateInstance, _deleteBookmark, _insertBookmark, _insertJournal;

        public Task<int> InsertInstance(WorkflowInstance i, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _insertInstance ??= Create(
                $"INSERT INTO \"wf_instances\" ({InstanceColumns}) VALUES (@id, @definition_id, @definition_version_id, @version, @correlation_id, @name, " +
                "@status, @sub_status, @incident_count, @created_at, @updated_at, @finished_at, @concurrency_version, @state) ON CONFLICT (\"id\") DO NOTHING",
                ("id", DbType.String), ("definition_id", DbType.String), ("definition_version_id", DbType.String), ("version", DbType.Int32),
                ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
                ("incident_count", DbType.Int32), ("created_at", DbType.Int64), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64),
                ("concurrency_version", DbType.Int64), ("state", DbType.String));
            var p = cmd.Parameters;
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
            return cmd.ExecuteNonQueryAsync(ct);
        }

        public Task<int> UpdateInstance(WorkflowInstance i, long expectedVersion, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _updateInstance ??= Create(
                "UPDATE \"wf_instances\" SET \"correlation_id\" = @correlation_id, \"name\" = @name, \"status\" = @status, \"sub_status\" = @sub_status, " +
                "\"incident_count\" = @incident_count, \"updated_at\" = @updated_at, \"finished_at\" = @finished_at, " +
                "\"concurrency_version\" = @concurrency_version, \"state\" = @state WHERE \"id\" = @id AND \"concurrency_version\" = @expected_version",
                ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
                ("incident_count", DbType.Int32), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64), ("concurrency_version", DbType.Int64),
                ("state", DbType.String), ("id", DbType.String), ("expected_version", DbType.Int64));
            var p = cmd.Parameters;
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
            return cmd.ExecuteNonQueryAsync(ct);
        }

        public Task<int> DeleteBookmark(string id, CancellationToken ct)
        {
            var cmd = _deleteBookmark ??= Create("DELETE FROM \"wf_bookmarks\" WHERE \"id\" = @id", ("id", DbType.String));
            cmd.Parameters[0].Value = id;
            return cmd.ExecuteNonQueryAsync(ct);
        }

        public Task<int> InsertBookmark(Bookmark b, CancellationToken ct)
        {
            var cmd = _insertBookmark ??= Create(
                "INSERT INTO \"wf_bookmarks\" (\"id\", \"instance_id\", \"activity_instance_id\", \"activity_node_id\", \"kind\", \"key\", " +
                "\"correlation_id\", \"due_at\", \"created_at\", \"payload\") VALUES (@id, @instance_id, @activity_instance_id, @activity_node_id, " +
                "@kind, @key, @correlation_id, @due_at, @created_at, @payload)",
                ("id", DbType.String), ("instance_id", DbType.String), ("activity_instance_id", DbType.String), ("activity_node_id", DbType.String),
                ("kind", DbType.String), ("key", DbType.String), ("correlation_id", DbType.String), ("due_at", DbType.Int64),
                ("created_at", DbType.Int64), ("payload", DbType.String));
            var p = cmd.Parameters;
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
            return cmd.ExecuteNonQueryAsync(ct);
        }

        public Task<int> InsertJournal(JournalRecord r, CancellationToken ct)
        {
            var cmd = _insertJournal ??= Create(
                "INSERT INTO \"wf_journal\" (\"instance_id\", \"sequence\", \"timestamp\", \"activity_instance_id\", \"parent_activity_instance_id\", " +
                "\"activity_id\", \"activity_type\", \"activity_type_version\", \"activity_name\", \"node_id\", \"event_name\", \"message\", " +
                "\"activity_state\", \"payload\") VALUES (@instance_id, @sequence, @timestamp, @activity_instance_id, @parent_activity_instance_id, " +
                "@activity_id, @activity_type, @activity_type_version, @activity_name, @node_id, @event_name, @message, @activity_state, @payload)",
                ("instance_id", DbType.String), ("sequence", DbType.Int64), ("timestamp", DbType.Int64), ("activity_instance_id", DbType.String),
                ("parent_activity_instance_id", DbType.String), ("activity_id", DbType.String), ("activity_type", DbType.String),
                ("activity_type_version", DbType.Int32), ("activity_name", DbType.String), ("node_id", DbType.String), ("event_name", DbType.String),
                ("message", DbType.String), ("activity_state", DbType.String), ("payload", DbType.String));
            var p = cmd.Parameters;
            p[0].Value = r.InstanceId;
            p[1].Value = r.Sequence;
            p[2].Value = r.Timestamp.UtcTicks;
            p[3].Value = r.ActivityInstanceId;
            p[4].Value = (object?)r.ParentActivityInstanceId ?? DBNull.Value;
            p[5].Value = r.ActivityId;
            p[6].Value = r.ActivityType;
            p[7].Value = r.ActivityTypeVersion;
            p[8].Value = (object?)r.ActivityName ?? DBNull.Value;
            p[9].Value = r.NodeId;
            p[10].Value = r.EventName;
            p[11].Value = (object?)r.Message ?? DBNull.Value;
            p[12].Value = (object?)InstanceStateSerializer.ToJson(r.ActivityState) ?? DBNull.Value;
            p[13].Value = (object?)InstanceStateSerializer.ToJson(r.Payload) ?? DBNull.Value;
            return cmd.ExecuteNonQueryAsync(ct);
        }

        private DbCommand Create(string sql, params (string Name, DbType Type)[] parameters)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = transaction;
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                p.DbType = type;
                cmd.Parameters.Add(p);
            }
            return cmd;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var cmd in new[] { _insertInstance, _updateInstance, _deleteBookmark, _insertBookmark, _insertJournal })
                if (cmd is not null) await cmd.DisposeAsync().ConfigureAwait(false);
        }
    }
}
