using System.Diagnostics;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Hosting;

/// <summary>
/// "Quartz only wakes the engine": once one timer fires (or the host starts), this resumes every timer bookmark that
/// is already due, straight from the instance store, oldest first, in pages, many at a time, so the group commit
/// writes them in shared transactions and their Quartz triggers are dropped in batches afterwards. Quartz on its own
/// fires one trigger per store round trip (a few hundred per second on SQLite); a burst of thousands due at once, or
/// a backlog after a restart, is then limited by the engine rather than by the trigger store.
/// </summary>
/// <remarks>
/// <para>
/// <b>At most once per bookmark.</b> The sweep and a Quartz firing may race for the same bookmark; the runtime's
/// optimistic concurrency and bookmark removal let exactly one resume commit, and the other finds the bookmark gone
/// (a no-op). A trigger whose bookmark the sweep resumed is cancelled after the commit (<see cref="TimerBookmarkScheduler"/>);
/// one Quartz had already acquired fires into the no-op.
/// </para>
/// <para>
/// <b>Coalesced.</b> One sweep runs at a time; a request during a sweep makes it look again when it ends, so a
/// thousand firings cause a few sweeps, not a thousand. A bookmark whose resume fails is skipped for the rest of the
/// sweep and left to its Quartz trigger, which retries with back-off.
/// </para>
/// </remarks>
public sealed partial class DueTimerSweeper(
    IServiceScopeFactory scopes,
    IWorkflowInstanceStore store,
    TimeProvider clock,
    ILogger<DueTimerSweeper> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>Bookmarks read per page.</summary>
    public const int PageSize = 500;

    /// <summary>Resumes in flight at once: enough to fill the group commit's batches, few enough to keep reads short.</summary>
    public const int Parallelism = 32;

    /// <summary>After this many failed resumes in one sweep it stops; the triggers retry them.</summary>
    public const int MaxFailuresPerSweep = 1000;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _current = Task.CompletedTask;
    private bool _running;
    private bool _again;

    /// <summary>Starts a sweep, or asks the running one to look again when it ends. Returns at once.</summary>
    public void RequestSweep()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return;
            if (_running)
            {
                _again = true;
                return;
            }
            _running = true;
            _current = Task.Run(LoopAsync);
        }
    }

    /// <summary>The sweep in progress (or a completed task): for tests and shutdown.</summary>
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
                // A failed read: the triggers still fire one by one, and the next firing asks again.
                LogSweepFailed(ex);
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
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var resumed = 0;
        var started = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested && failed.Count < MaxFailuresPerSweep)
        {
            var now = clock.GetUtcNow();
            var page = await store.FindBookmarksAsync(new BookmarkFilter(DueBefore: now, TimersOnly: true) { Take = PageSize + failed.Count }, ct)
                .ConfigureAwait(false);
            var due = page.Where(b => !failed.Contains(b.Id)).ToList();
            if (due.Count == 0) break;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (bookmark, token) =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var runtime = scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();
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
                    lock (failed) failed.Add(bookmark.Id);
                }
            }).ConfigureAwait(false);
            if (page.Count < PageSize + failed.Count) break;
        }
        if (resumed > 0 || failed.Count > 0)
            LogSwept(resumed, failed.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Due-timer sweep resumed {Resumed} bookmarks ({Failed} failed) in {Elapsed} ms")]
    private partial void LogSwept(int resumed, int failed, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due-timer sweep could not resume bookmark {BookmarkId} of instance {InstanceId}; its trigger will retry")]
    private partial void LogResumeFailed(Exception ex, string bookmarkId, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Due-timer sweep failed; due timers still fire one by one")]
    private partial void LogSweepFailed(Exception ex);
}
