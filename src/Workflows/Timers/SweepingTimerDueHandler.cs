using Exit.Workflows.Execution;
using Exit.Workflows.Timers.Sweep;

namespace Exit.Workflows.Timers;

/// <summary>
/// Quartz only wakes the engine: a firing asks the <see cref="DueTimerSweeper"/> to resume everything that is due, leaves
/// its own bookmark to that sweep and waits for it to end (which keeps Quartz from firing more empty jobs meanwhile). It resumes the bookmark itself only when no sweep is coming (host stopping),
/// when the bookmark failed in a sweep recently (then Quartz's retries with back-off are the way it is retried), or when
/// the trigger fired before the bookmark's due time by this clock (a sweep, which reads "due before now", would miss it).
/// A bookmark already gone (resumed, cancelled) is a no-op.
/// </summary>
/// <remarks>
/// Deferring is safe: the sweep reads the store after the request, resumes every due bookmark or gives a failed one its
/// trigger back, and a failed sweep rebuilds missing triggers; a crash in between is repaired by the start-up reconcile
/// and sweep.
/// </remarks>
public sealed class SweepingTimerDueHandler(IWorkflowRuntime runtime, DueTimerSweeper sweeper, TimeProvider clock) : ITimerDueHandler
{
    public Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var due = timer.DueAt <= clock.GetUtcNow();
        if (due && !sweeper.IsQuarantined(timer.BookmarkId) && sweeper.RequestSweep()) return sweeper.Current.WaitAsync(ct);
        return runtime.ResumeAsync(new ResumeBookmarkRequest(timer.BookmarkId), ct);
    }
}
