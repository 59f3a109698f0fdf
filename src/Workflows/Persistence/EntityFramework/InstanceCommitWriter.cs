using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
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
internal sealed partial class InstanceCommitWriter : IAsyncDisposable
{
    private readonly IDbContextFactory<WorkflowDbContext> _factory;
    private readonly DatabaseOptions _options;
    private readonly ICommitParticipant[] _participants;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _directLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly PendingWakeUpProbe? _wakeUpProbe;
    private Task? _loop;
    private WriterSession? _session;

    /// <summary>Counters for measurements: transactions, commits and where the writer's time went (Stopwatch ticks).</summary>
    internal readonly WriterStatistics Statistics = new();

    public InstanceCommitWriter(IDbContextFactory<WorkflowDbContext> factory, DatabaseOptions options, IEnumerable<ICommitParticipant> participants,
        PendingWakeUpProbe? wakeUpProbe = null)
    {
        _factory = factory;
        _options = options;
        _participants = participants.ToArray();
        _wakeUpProbe = wakeUpProbe;
        if (options.Provider == DatabaseProvider.Sqlite && options.SqliteCheckpointEvery > 0)
            _checkpointer = new SqliteCheckpointer(factory, options.SqliteCheckpointEvery);
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ct.ThrowIfCancellationRequested();
        // The instance's tenant decides where its rows go; a caller in another tenant's scope has no business with it.
        var tenantId = commit.Instance.TenantId;
        if (string.IsNullOrEmpty(tenantId)) throw new TenantScopeMissingException();
        if (TenantScope.Current is { } current && current != tenantId) throw new CrossTenantWriteException("workflow instance");
        // Group commit on SQLite and PostgreSQL: the writer applies whole batches in multi-row statements, from these values.
        var pending = new PendingCommit(commit, ct, rowValues: _options.GroupCommit && (_options.Provider is DatabaseProvider.Sqlite or DatabaseProvider.Postgres));
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
            // The loop outlives the call that starts it: it must not inherit that caller's tenant scope.
            if (_loop is null)
            {
                using (ExecutionContext.SuppressFlow()) _loop = Task.Run(RunAsync);
            }
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
        DbTransaction? transaction = null;
        try
        {
            session = shared ? _session ??= await WriterSession.OpenAsync(_factory, IsSqlite).ConfigureAwait(false)
                             : await WriterSession.OpenAsync(_factory, IsSqlite).ConfigureAwait(false);
            var s = session.Statements;
            // The background checkpoint copied the WAL into the file while this writer went on committing; the few
            // frames committed since are copied here, between transactions, so the BEGIN below finds the WAL fully
            // checkpointed and starts it again from its beginning (otherwise it only ever grows while commits keep coming).
            if (shared && _checkpointer?.TakeCaughtUp() == true) SqliteCheckpointer.FinishOn(session.Connection);
            transaction = await session.Connection.BeginTransactionAsync().ConfigureAwait(false);
            s.Begin(transaction);
            var commitContext = new CommitContext(session.Connection, transaction, _options.Provider) { Commands = session.Commands };
            var useSavepoints = batch.Count > 1;
            var opened = Stopwatch.GetTimestamp();
            var applied = 0;
            // SQLite and SQL Server: a batch of several commits; PostgreSQL: any batch (a lone commit too saves its
            // savepoint) whose commits carry their row values (not the direct mode's).
            var allAtOnce = s.UsesBatches ? session.PostgresBatch is not null && batch.All(p => p.Rows is not null) : useSavepoints;
            if (allAtOnce && await TryApplyWithoutSavepointsAsync(s, session, commitContext, batch).ConfigureAwait(false))
            {
                applied = batch.Count;
                useSavepoints = false;
            }
            else if (allAtOnce)
            {
                // Something in the batch failed: nothing of that attempt may stay. Start again, one savepoint per commit.
                await transaction.RollbackAsync().ConfigureAwait(false);
                await transaction.DisposeAsync().ConfigureAwait(false);
                transaction = null;
                transaction = await session.Connection.BeginTransactionAsync().ConfigureAwait(false);
                s.Begin(transaction);
                commitContext = commitContext with { Transaction = transaction };
                Statistics.Retried();
            }
            var savepointOpen = false; // batched path: a successful commit's savepoint is released by the next round trip
            var sequentialFrom = applied == batch.Count ? batch.Count
                // PostgreSQL: a lone commit too, so that its batched participants share its round trip.
                : s.UsesBatches
                    ? await ApplyAllInOneRoundTripAsync(s, commitContext, batch, errors).ConfigureAwait(false)
                    : 0;
            if (applied < batch.Count) applied = Enumerable.Range(0, sequentialFrom).Count(i => errors[i] is null);
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
            if (applied > 0) await ProbeWakeUpAsync(s, batch, errors).ConfigureAwait(false);
            var appliedAt = Stopwatch.GetTimestamp();
            if (applied > 0) await transaction.CommitAsync().ConfigureAwait(false);
            var committed = Stopwatch.GetTimestamp();
            Statistics.Record(batch.Count, opened - started, appliedAt - opened, committed - appliedAt);
            if (applied > 0) Exit.Workflows.Diagnostics.WorkflowTelemetry.CommitBatch(applied, appliedAt - opened, committed - appliedAt);
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
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>
    /// Applies the whole batch in the open transaction with no savepoint per commit (two statements fewer per commit, and
    /// on SQLite no statement journal of each commit's pages), since conflicts are rare. SQLite: the batch's own rows in a
    /// few multi-row statements (<see cref="SqliteBatchStatements"/>), then each commit's participants in commit order;
    /// PostgreSQL: <see cref="TryApplyPostgresAsync"/>; SQL Server: each commit's statements one after the other.
    /// Returns false at the first failure; the caller then rolls the whole transaction back and applies the batch again
    /// commit by commit behind savepoints, so only the failing commit's caller fails and nothing of this attempt stays.
    /// </summary>
    private async Task<bool> TryApplyWithoutSavepointsAsync(Statements s, WriterSession session, CommitContext commitContext,
        IReadOnlyList<PendingCommit> batch)
    {
        try
        {
            if (session.PostgresBatch is { } postgres) return await TryApplyPostgresAsync(postgres, commitContext, batch).ConfigureAwait(false);
            if (session.SqliteBatch is { } rows)
            {
                if (!rows.TryApply(batch)) return false;
                foreach (var pending in batch)
                    await ApplyParticipantsAsync(commitContext, pending.Commit, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            foreach (var pending in batch)
                await ApplyAsync(s, commitContext, pending).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            // Whatever it was (a conflict, a constraint, a participant's error), the commit-by-commit pass finds
            // which commit it belongs to and gives that caller its own exception.
            return false;
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
            if (await s.DeleteBookmark(bookmarkId, instance.TenantId, ct).ConfigureAwait(false) == 0)
                throw new ConcurrencyConflictException($"Bookmark '{bookmarkId}' was already removed (resumed by another commit).");
        }

        foreach (var bookmark in commit.AddedBookmarks)
            await s.InsertBookmark(bookmark, instance.TenantId, ct).ConfigureAwait(false);

        for (var i = 0; i < commit.Journal.Count; i += Statements.JournalRowsPerInsert)
            await s.InsertJournal(commit, i, Math.Min(Statements.JournalRowsPerInsert, commit.Journal.Count - i), ct).ConfigureAwait(false);

        await ApplyParticipantsAsync(commitContext, commit, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The modules' writes of one commit (tasks, CTI rows…), inside the commit's instance's tenant: a batch may hold
    /// several tenants' commits, and the writer loop has no scope of its own, so each participant's EF rows are stamped
    /// with (and its filtered reads limited to) the tenant of the instance whose effects they are.
    /// </summary>
    private async Task ApplyParticipantsAsync(CommitContext commitContext, InstanceCommit commit, CancellationToken ct)
    {
        if (commit.Effects.Count == 0 || _participants.Length == 0) return;
        using (TenantScope.Enter(commit.Instance.TenantId))
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
            // A commit whose participants cannot add their statements to the batch ends the round: they must run after
            // its statements and before any later savepoint, so that rolling back to its savepoint undoes its own writes
            // and nothing of the commits before it. Participants that can batch ride along with their commit.
            var end = start;
            while (end < batch.Count && (!HasParticipantWork(batch[end]) || CanBatchParticipants(batch[end]))) end++;
            end = Math.Min(end + 1, batch.Count);

            var outcome = await s.ExecuteCommitsAsync(batch, start, end, (b, k) => AddBatchedParticipants(b, k, batch)).ConfigureAwait(false);
            var failed = -1;
            Exception? error = null;
            if (outcome.Error is { } ex)
            {
                // Placed after the round's first commit, the error leaves the earlier commits' rows and checks unread (a
                // stale version or a failed participant check there raises no error): go on one by one from the start.
                if (outcome.FailedIndex != start)
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
                    error = Conflict(batch[k].Commit, outcome.InstanceRows[k - start], outcome.DeletedRows[k - start])
                            ?? outcome.Participants[k - start]?.Error;
                    if (error is not null) failed = k;
                }
            }

            // The commits before the failed one (all, if none failed) stay: their batched participants' follow-ups run.
            for (var k = start; k < (failed < 0 ? end : failed); k++) outcome.Participants[k - start]?.Applied();

            if (failed < 0 && HasParticipantWork(batch[end - 1]) && outcome.Participants[end - 1 - start] is null)
            {
                try
                {
                    await ApplyParticipantsAsync(commitContext, batch[end - 1].Commit, CancellationToken.None).ConfigureAwait(false);
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
        await ApplyParticipantsAsync(commitContext, commit, CancellationToken.None).ConfigureAwait(false);
    }

    private static Exception Translate(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 19 } when ex.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
            => new ConcurrencyConflictException($"A row of this commit already exists: {ex.Message}"),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
            => new ConcurrencyConflictException($"A row of this commit already exists: {pg.MessageText} ({pg.ConstraintName})"),
        _ => TranslateSqlServer(ex),
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
}
