using System.Diagnostics;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Scheduling;
using Exit.Workflows.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Hosting;

/// <summary>
/// "Quartz only wakes the engine": once one timer fires (or the host starts), this resumes every timer bookmark that
/// is already due, straight from the instance store, oldest first, in pages, many at a time, so the group commit
/// writes them in shared transactions and their Quartz triggers are dropped in one call per page afterwards. A page is
/// read with its instances and their bookmarks (<see cref="IDueTimerPageReader"/>), so a resume reads nothing more
/// (<see cref="SnapshotInstanceStore"/>), and the next page is read while this one commits. Quartz on its own
/// fires one trigger per store round trip (a few hundred per second on SQLite); a burst of thousands due at once, or
/// a backlog after a restart, is then limited by the engine rather than by the trigger store.
/// </summary>
/// <remarks>
/// <para>
/// <b>At most once per bookmark.</b> The sweep and a Quartz firing may race for the same bookmark; the runtime's
/// optimistic concurrency and bookmark removal let exactly one resume commit, and the other finds the bookmark gone
/// (a no-op). A resumed bookmark's trigger is removed after its page, all of the page's in one Quartz call while the
/// next page resumes (collected by <see cref="SweepPageTimerScheduler"/>); the sweep ends when the last removal has.
/// </para>
/// <para>
/// <b>Quartz waits.</b> A firing that leaves its bookmark to the sweep waits for the sweep to end
/// (<see cref="SweepingTimerDueHandler"/>), so Quartz's threads are parked instead of firing thousands of empty jobs whose
/// tiny transactions would fight the instance store's writer for SQLite's single write lock.
/// </para>
/// <para>
/// <b>Never without a wake-up for long.</b> A bookmark whose resume fails gets its trigger back if its firing had been
/// left to the sweep (Quartz then retries it with back-off) and is left out of sweeps for <see cref="Quarantine"/>, so a
/// poisoned bookmark cannot make sweeps spin. A sweep that fails as a whole rebuilds missing triggers from the store; a
/// crash is repaired by the start-up reconcile and the start-up sweep.
/// </para>
/// <para>
/// <b>Coalesced.</b> One sweep runs at a time; a request during a sweep makes it look again when it ends, so a
/// thousand firings cause a few sweeps, not a thousand. A bookmark whose resume fails is skipped for the rest of the
/// sweep (and from later sweeps for a while) and left to its Quartz trigger, which retries with back-off.
/// </para>
/// </remarks>
public sealed partial class DueTimerSweeper(
    IServiceScopeFactory scopes,
    IWorkflowInstanceStore store,
    IDueTimerPageReader pages,
    SweepRuntimeFactory runtimes,
    ITimerScheduler timers,
    IBookmarkScheduler bookmarkTimers,
    TimerReconciler reconciler,
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
            _current = Task.Run(LoopAsync);
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
                await SweepAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed read (or hand-back). Firings that deferred to this sweep may have lost their triggers:
                // rebuild missing triggers from the store, so each due bookmark fires (and asks again) by itself.
                LogSweepFailed(ex);
                await RepairTriggersAsync().ConfigureAwait(false);
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

    private async Task SweepAsync(CancellationToken ct)
    {
        var failed = 0;
        var resumed = 0;
        var started = Stopwatch.GetTimestamp();
        // Pages follow each other by position, so the next one is read while this one's resumes run and commit.
        Task<DueTimerPage>? next = ReadPageAsync(null, ct);
        // A page's trigger removal runs while the next page resumes; at most one is in flight, and the sweep ends only
        // when the last is done, so firings parked on the sweep do not return to a Quartz that still holds the triggers
        // of bookmarks already resumed (each would fire into a no-op), and a stopping host removes them before Quartz stops.
        var removing = Task.CompletedTask;
        // Two pages overlap: the next page's resumes start while this one's last commits are still being written, so the
        // single writer does not idle at every page boundary waiting for the first commits of the next page.
        Task<(int Resumed, int Failed, IReadOnlyList<string> Removed)>? finishing = null;
        async Task FinishAsync(Task<(int Resumed, int Failed, IReadOnlyList<string> Removed)> page)
        {
            var (ok, failures, removed) = await page.ConfigureAwait(false);
            resumed += ok;
            failed += failures;
            await removing.ConfigureAwait(false);
            removing = RemoveTriggersAsync(removed);
        }
        try
        {
            while (next is not null && !ct.IsCancellationRequested && failed < MaxFailuresPerSweep)
            {
                var page = await next.ConfigureAwait(false);
                next = page.Due.Count < PageSize ? null : ReadPageAsync(DueTimerCursor.After(page.Due), ct);
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
            await removing.ConfigureAwait(false);
        }
        if (resumed > 0 || failed > 0)
            LogSwept(resumed, failed, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (resumed > 0 || failed > 0) Exit.Workflows.Diagnostics.WorkflowTelemetry.Swept(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Drops the triggers of resumed bookmarks, most of which have not fired yet, in one Quartz call. Never throws: a
    /// trigger left behind only fires into a no-op (the bookmark is gone).
    /// </summary>
    private async Task RemoveTriggersAsync(IReadOnlyList<string> bookmarkIds)
    {
        if (bookmarkIds.Count == 0) return;
        try
        {
            // Not the sweep's token: one bounded call, which a stopping host should still finish while Quartz runs.
            await timers.CancelAsync(bookmarkIds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRemoveFailed(ex, bookmarkIds.Count);
        }
    }

    private Task<DueTimerPage> ReadPageAsync(DueTimerCursor? after, CancellationToken ct) =>
        pages.ReadDueAsync(clock.GetUtcNow(), after, PageSize, ct);

    /// <summary>
    /// Resumes a page's due bookmarks, many at a time; returns how many were resumed, how many failed, and the timer
    /// bookmarks the page's commits removed (whose triggers are to go).
    /// </summary>
    private async Task<(int Resumed, int Failed, IReadOnlyList<string> Removed)> ResumePageAsync(DueTimerPage page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ForgetExpiredQuarantine(now);
        var due = page.Due.Where(b => !IsQuarantinedCore(b.Id)).ToList();
        if (due.Count == 0) return (0, 0, []);
        Exit.Workflows.Diagnostics.WorkflowTelemetry.SweepPage(due.Count);

        // Each instance's snapshot goes to one resume: a second due bookmark of the same instance reads afresh
        // (and most likely conflicts with the first and reloads, as two concurrent resumes always did).
        var snapshots = new Dictionary<string, LoadedInstance>(page.Instances, StringComparer.Ordinal);
        var failures = new List<Bookmark>();
        var resumed = 0;
        var pageTimers = new SweepPageTimerScheduler(bookmarkTimers);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (bookmark, token) =>
        {
            try
            {
                LoadedInstance? snapshot;
                lock (snapshots) snapshots.Remove(bookmark.InstanceId, out snapshot);
                await using var scope = scopes.CreateAsyncScope();
                var instances = snapshot is null ? store : new SnapshotInstanceStore(store, bookmark, snapshot);
                var runtime = runtimes.CreateRuntime(scope.ServiceProvider, instances, pageTimers);
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

        // Failed ones get their triggers back; the resumed ones' triggers go in one removal (SweepAsync).
        if (failures.Count > 0) await HandBackAsync(failures, now, ct).ConfigureAwait(false);
        return (resumed, failures.Count, pageTimers.TakeRemoved());
    }

    /// <summary>Failed bookmarks get their trigger back (Quartz retries them with back-off) and stay out of sweeps for a while.</summary>
    private async Task HandBackAsync(List<Bookmark> failures, DateTimeOffset now, CancellationToken ct)
    {
        lock (_quarantined)
        {
            foreach (var b in failures) _quarantined[b.Id] = now + Quarantine;
        }
        try
        {
            await timers.ScheduleAsync(failures.ConvertAll(b => new DueTimer(b.Id, b.InstanceId, b.DueAt ?? now)), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left without a trigger until the next start-up reconcile re-creates it.
            LogHandBackFailed(ex, failures.Count);
        }
    }

    private async Task RepairTriggersAsync()
    {
        try
        {
            await reconciler.ReconcileAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRepairFailed(ex);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

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
        // Overdue timers after a restart: resumed by the sweep at once instead of one trigger at a time.
        RequestSweep();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Current.WaitAsync(cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the triggers of {Count} resumed timer bookmarks failed; they will fire into no-ops")]
    private partial void LogRemoveFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not give {Count} failed timer bookmarks their triggers back; the next start-up reconcile re-creates them")]
    private partial void LogHandBackFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding timer triggers after a failed sweep failed too; the next start-up reconcile re-creates them")]
    private partial void LogRepairFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Due-timer sweep failed; missing triggers are rebuilt so due timers fire one by one")]
    private partial void LogSweepFailed(Exception ex);
}
