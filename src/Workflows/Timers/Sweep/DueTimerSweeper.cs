using System.Diagnostics;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// "Quartz only wakes the engine": when the one wake-up fires (or the host starts), this resumes every timer bookmark
/// that is already due, straight from the instance store, oldest first, in pages, many at a time, so the group commit
/// writes them in shared transactions. A page is read with its instances and their bookmarks
/// (<see cref="IWorkflowInstanceStore.ReadDueTimersAsync"/>), so a resume reads nothing more
/// (<see cref="SnapshotInstanceStore"/>), and the next page is read while this one commits. Then the wake-up is armed
/// for the earliest bookmark still to come (<see cref="ITimerWakeUp"/>). Quartz holds no trigger per timer, so a burst of
/// thousands due at once, or a backlog after a restart, costs Quartz one firing.
/// </summary>
/// <remarks>
/// <para>
/// <b>At most once per bookmark.</b> Two sweeps (two nodes, or a bookmark's own retry trigger and a sweep) may race for
/// the same bookmark; the runtime's optimistic concurrency and bookmark removal let exactly one resume commit, and the
/// other finds the bookmark gone (a no-op).
/// </para>
/// <para>
/// <b>Never without a wake-up.</b> The sweep reads everything due up to the moment of its last page and then arms the
/// wake-up for the first bookmark due after that moment; a bookmark committed meanwhile armed the wake-up itself, and
/// the wake-up only ever moves earlier. A bookmark whose resume fails gets a trigger of its own (Quartz retries it with
/// back-off) and is left out of sweeps for <see cref="Quarantine"/>, so a poisoned bookmark cannot make sweeps spin. A
/// sweep that fails, or stops at <see cref="MaxFailuresPerSweep"/>, arms the wake-up for <see cref="RetryAfter"/>; a
/// crash is repaired by the start-up sweep.
/// </para>
/// <para>
/// <b>Coalesced.</b> One sweep runs at a time; a request during a sweep makes it look again when it ends. The firing
/// waits for the sweep (<see cref="SweepingTimerDueHandler"/>).
/// </para>
/// <para>
/// <b>Shared by several hosts</b> (PostgreSQL): each page is claimed for this host as it is read, skipping what another
/// host's sweep holds (<c>TimerClaim</c>), and a sweep that finds more than a page due invites the other hosts
/// (<see cref="ISweepPeers"/>), so a storm is split between them. A stopping host releases its claims; a dead host's
/// claims end with their lease, and the wake-up is armed for that moment too.
/// </para>
/// </remarks>
public sealed partial class DueTimerSweeper(
    IServiceScopeFactory scopes,
    IWorkflowInstanceStore store,
    SweepRuntimeFactory runtimes,
    ITimerScheduler timers,
    IBookmarkScheduler bookmarkTimers,
    ITimerWakeUp wakeUp,
    ISweepPeers peers,
    TimeProvider clock,
    ILogger<DueTimerSweeper> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>How long a bookmark whose resume failed in a sweep is left to its own trigger's retries.</summary>
    public static readonly TimeSpan Quarantine = TimeSpan.FromHours(1);

    /// <summary>Bookmarks read per page.</summary>
    public const int PageSize = 500;

    /// <summary>
    /// Resumes in flight at once: enough to fill the group commit's batches. 128 drained 5,000 due timers ~12 % faster
    /// than 32 at the same CPU per timer (two A/B pairs, load average 14–20); each resume holds no connection while
    /// it waits for its commit, so more in flight costs memory only.
    /// </summary>
    public const int Parallelism = 128;

    /// <summary>After this many failed resumes in one sweep it stops; the triggers retry them.</summary>
    public const int MaxFailuresPerSweep = 1000;

    /// <summary>When a sweep failed or stopped early, the wake-up comes back this much later.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);


    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _current = Task.CompletedTask;
    private bool _running;
    private bool _again;
    private readonly Dictionary<string, DateTimeOffset> _quarantined = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a sweep, or asks the running one to look again when it ends. Returns at once: true when a sweep will read
    /// the due bookmarks after this call (false only while stopping).
    /// </summary>
    public bool RequestSweep()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return false;
            if (_running)
            {
                _again = true;
                return true;
            }
            _running = true;
            // The sweep serves every tenant: it must not carry the scope of whoever asked for it.
            using (ExecutionContext.SuppressFlow()) _current = Task.Run(LoopAsync);
            return true;
        }
    }

    /// <summary>Whether the bookmark failed in a sweep recently and is left to its own trigger.</summary>
    public bool IsQuarantined(string bookmarkId) => IsQuarantinedCore(bookmarkId);

    /// <summary>The sweeps in progress, including any asked for meanwhile (or a completed task). Never faults.</summary>
    public Task Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                var sweptUpTo = await SweepAsync(_stopping.Token).ConfigureAwait(false);
                await ArmNextAsync(sweptUpTo, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed read or arm: what was due may not have been resumed, so look again a little later.
                LogSweepFailed(ex);
                await ArmRetryAsync().ConfigureAwait(false);
            }
            lock (_gate)
            {
                if (!_again || _stopping.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }
                _again = false;
            }
        }
    }

    /// <summary>
    /// Resumes everything due, page by page; returns the moment up to which every due bookmark was read (the "now" of the
    /// last page), or null when the sweep stopped early (stopping, too many failures).
    /// </summary>
    private async Task<DateTimeOffset?> SweepAsync(CancellationToken ct)
    {
        var failed = 0;
        var resumed = 0;
        var invited = false;
        var started = Stopwatch.GetTimestamp();
        // Pages follow each other by position, so the next one is read while this one's resumes run and commit.
        var readAt = clock.GetUtcNow();
        Task<DueTimerPage>? next = ReadPageAsync(readAt, null, ct);
        DateTimeOffset? sweptUpTo = null;
        // Two pages overlap: the next page's resumes start while this one's last commits are still being written, so the
        // single writer does not idle at every page boundary waiting for the first commits of the next page.
        Task<(int Resumed, int Failed)>? finishing = null;
        async Task FinishAsync(Task<(int Resumed, int Failed)> page)
        {
            var (ok, failures) = await page.ConfigureAwait(false);
            resumed += ok;
            failed += failures;
        }
        try
        {
            while (next is not null && !ct.IsCancellationRequested && failed < MaxFailuresPerSweep)
            {
                var page = await next.ConfigureAwait(false);
                if (page.Due.Count < PageSize)
                {
                    next = null;
                    sweptUpTo = readAt;
                }
                else
                {
                    // More than a page due: a storm, which the other hosts (if any) are asked to share.
                    if (!invited)
                    {
                        invited = true;
                        _ = InvitePeersAsync();
                    }
                    readAt = clock.GetUtcNow();
                    next = ReadPageAsync(readAt, DueTimerCursor.After(page.Due), ct);
                }
                var previous = finishing;
                finishing = ResumePageAsync(page, ct);
                if (previous is not null) await FinishAsync(previous).ConfigureAwait(false);
            }
            if (finishing is not null)
            {
                var last = finishing;
                finishing = null;
                await FinishAsync(last).ConfigureAwait(false);
            }
        }
        finally
        {
            // A prefetched page nobody will resume (stopping, or too many failures), or one still resuming when another
            // failed: waited for and observed, so nothing runs on after the sweep and no fault goes unobserved.
            if (next is not null) await next.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
            if (finishing is not null) await finishing.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
        }
        if (resumed > 0 || failed > 0)
            LogSwept(resumed, failed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (resumed > 0 || failed > 0) Exit.Workflows.Diagnostics.WorkflowTelemetry.Swept(Stopwatch.GetElapsedTime(started));
        return failed >= MaxFailuresPerSweep || ct.IsCancellationRequested ? null : sweptUpTo;
    }

    /// <summary>
    /// Arms the wake-up for the first bookmark due after the sweep's last page (or, when the sweep stopped early, for a
    /// retry). Bookmarks due up to then were all read: resumed, or failed and given a trigger of their own.
    /// </summary>
    private async Task ArmNextAsync(DateTimeOffset? sweptUpTo, CancellationToken ct)
    {
        if (sweptUpTo is not { } upTo)
        {
            if (!ct.IsCancellationRequested) await wakeUp.ArmAsync(clock.GetUtcNow() + RetryAfter, ct).ConfigureAwait(false);
            return;
        }
        if (await store.FindNextTimerDueAsync(upTo, ct).ConfigureAwait(false) is { } next)
            await wakeUp.ArmAsync(next, ct).ConfigureAwait(false);
    }

    /// <summary>Fire and forget: an invitation that fails only means this host sweeps the storm alone.</summary>
    private async Task InvitePeersAsync()
    {
        try
        {
            await peers.InviteAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogInviteFailed(ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ArmRetryAsync()
    {
        try
        {
            await wakeUp.ArmAsync(clock.GetUtcNow() + RetryAfter, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRepairFailed(ex);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private Task<DueTimerPage> ReadPageAsync(DateTimeOffset dueBefore, DueTimerCursor? after, CancellationToken ct) =>
        store.ReadDueTimersAsync(dueBefore, after, PageSize, ct);

    /// <summary>Resumes a page's due bookmarks, many at a time; returns how many were resumed and how many failed.</summary>
    private async Task<(int Resumed, int Failed)> ResumePageAsync(DueTimerPage page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ForgetExpiredQuarantine(now);
        var due = page.Due.Where(b => !IsQuarantinedCore(b.Id)).ToList();
        if (due.Count == 0) return (0, 0);
        Exit.Workflows.Diagnostics.WorkflowTelemetry.SweepPage(due.Count);

        // Each instance's snapshot goes to one resume: a second due bookmark of the same instance reads afresh
        // (and most likely conflicts with the first and reloads, as two concurrent resumes always did).
        var snapshots = new Dictionary<string, LoadedInstance>(page.Instances, StringComparer.Ordinal);
        var failures = new List<Bookmark>();
        var resumed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (bookmark, token) =>
        {
            try
            {
                LoadedInstance? snapshot;
                lock (snapshots) snapshots.Remove(bookmark.InstanceId, out snapshot);
                // The page holds every tenant's due timers: each resume runs in its own instance's tenant, so its reads,
                // its activities and its commit's module rows are that tenant's and no other's.
                using var tenant = TenantScope.Enter(TenantOf(bookmark, snapshot));
                await using var scope = scopes.CreateAsyncScope();
                var instances = snapshot is null ? store : new SnapshotInstanceStore(store, bookmark, snapshot);
                var runtime = runtimes.CreateRuntime(scope.ServiceProvider, instances, bookmarkTimers);
                if (await runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id), token).ConfigureAwait(false) is not null)
                    Interlocked.Increment(ref resumed);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                LogResumeFailed(ex, bookmark.Id, bookmark.InstanceId);
                lock (failures) failures.Add(bookmark);
            }
        }).ConfigureAwait(false);

        // Failed ones get triggers of their own, which Quartz retries with back-off.
        if (failures.Count > 0) await HandBackAsync(failures, now, ct).ConfigureAwait(false);
        return (resumed, failures.Count);
    }

    /// <summary>Failed bookmarks get a trigger of their own (Quartz retries them with back-off) and stay out of sweeps for a while.</summary>
    private async Task HandBackAsync(List<Bookmark> failures, DateTimeOffset now, CancellationToken ct)
    {
        lock (_quarantined)
        {
            foreach (var b in failures) _quarantined[b.Id] = now + Quarantine;
        }
        try
        {
            await timers.ScheduleAsync(failures.ConvertAll(b => new DueTimer(b.Id, b.InstanceId, b.DueAt ?? now, b.TenantId)), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left without a trigger until the next start-up reconcile re-creates it.
            LogHandBackFailed(ex, failures.Count);
        }
    }

    /// <summary>
    /// The tenant a due bookmark is resumed in: its row's (the store reads it with the page), else its instance's. Only a
    /// store without tenants (in-memory, tests) has neither; its one tenant is the first.
    /// </summary>
    private static string TenantOf(Bookmark bookmark, LoadedInstance? snapshot) =>
        bookmark.TenantId
        ?? (snapshot is { Instance.TenantId: { Length: > 0 } instanceTenant } ? instanceTenant : null)
        ?? TenantIds.Default;

    private bool IsQuarantinedCore(string bookmarkId)
    {
        lock (_quarantined) return _quarantined.ContainsKey(bookmarkId);
    }

    /// <summary>Drops expired entries.</summary>
    private void ForgetExpiredQuarantine(DateTimeOffset now)
    {
        lock (_quarantined)
        {
            foreach (var (id, until) in _quarantined.ToList())
                if (until <= now) _quarantined.Remove(id);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Overdue timers after a restart are resumed at once, and the sweep arms the wake-up for the next one.
        RequestSweep();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Current.WaitAsync(cancellationToken).ConfigureAwait(false);
        // The sweep has ended (its commits are in): what this host still claims, the others may sweep at once.
        try
        {
            await store.ReleaseTimerClaimsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReleaseFailed(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Current.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // _stopping is deliberately not disposed: the host may call StopAsync after the container disposed this
        // singleton (seen when a test host is torn down), and cancelling a disposed source throws. A source with no
        // timer and no linked tokens holds nothing that needs releasing.
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Due-timer sweep resumed {Resumed} bookmarks ({Failed} failed) in {Elapsed} ms")]
    private partial void LogSwept(int resumed, int failed, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due-timer sweep could not resume bookmark {BookmarkId} of instance {InstanceId}; its trigger will retry")]
    private partial void LogResumeFailed(Exception ex, string bookmarkId, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not give {Count} failed timer bookmarks triggers of their own; the next sweep retries them")]
    private partial void LogHandBackFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Arming the timer wake-up after a failed sweep failed too; the next start-up sweep resumes what is due")]
    private partial void LogRepairFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inviting the other hosts to share a due-timer sweep failed; this host sweeps alone")]
    private partial void LogInviteFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing this host's timer claims at stop failed; they end with their lease")]
    private partial void LogReleaseFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Due-timer sweep failed; the wake-up is armed to try again")]
    private partial void LogSweepFailed(Exception ex);
}
