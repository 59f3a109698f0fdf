using Exit.Workflows.Execution;
using Exit.Workflows.Scheduling;

namespace Exit.Workflows.Hosting;

/// <summary>
/// A due timer resumes its bookmark; a bookmark already gone (resumed, cancelled) is a no-op. Each firing also asks
/// the <see cref="DueTimerSweeper"/> to resume whatever else is due, so a burst does not wait for Quartz to fire
/// every trigger one by one.
/// </summary>
public sealed class RuntimeTimerDueHandler(IWorkflowRuntime runtime, DueTimerSweeper sweeper) : ITimerDueHandler
{
    public Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
    {
        sweeper.RequestSweep();
        return runtime.ResumeAsync(new ResumeBookmarkRequest(timer.BookmarkId), ct);
    }
}
