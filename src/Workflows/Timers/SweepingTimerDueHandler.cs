using Exit.Workflows.Execution;
using Exit.Workflows.Timers.Sweep;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Timers;

/// <summary>
/// The runtime's due handler. The wake-up asks the <see cref="DueTimerSweeper"/> to resume everything that is due and waits
/// for the sweep to end (which keeps Quartz from firing again meanwhile). A bookmark's own trigger, which only a bookmark
/// that failed in a sweep gets (so Quartz retries it with back-off), or one left from before the wake-up existed, is
/// resumed directly when it is quarantined or fired before its due time by this clock, and otherwise left to a sweep.
/// A bookmark already gone (resumed, cancelled) is a no-op.
/// </summary>
public sealed class SweepingTimerDueHandler(IWorkflowRuntime runtime, DueTimerSweeper sweeper, TimeProvider clock) : ITimerDueHandler, ITimerWakeUpHandler
{
    public Task OnWakeUpAsync(CancellationToken ct) =>
        sweeper.RequestSweep() ? sweeper.Current.WaitAsync(ct) : Task.CompletedTask;

    public Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var due = timer.DueAt <= clock.GetUtcNow();
        if (due && !sweeper.IsQuarantined(timer.BookmarkId) && sweeper.RequestSweep()) return sweeper.Current.WaitAsync(ct);
        return ResumeInTenantAsync(timer, ct);
    }

    /// <summary>A bookmark's own trigger fires outside any request: the resume runs in the timer's tenant.</summary>
    private async Task ResumeInTenantAsync(DueTimer timer, CancellationToken ct)
    {
        using var tenant = TenantScope.Enter(timer.TenantId ?? TenantIds.Default);
        await runtime.ResumeAsync(new ResumeBookmarkRequest(timer.BookmarkId), ct).ConfigureAwait(false);
    }
}
