using Exit.Workflows.Execution;
using Exit.Workflows.Scheduling;

namespace Exit.Workflows.Hosting;

/// <summary>A due timer resumes its bookmark; a bookmark already gone (resumed, cancelled) is a no-op.</summary>
public sealed class RuntimeTimerDueHandler(IWorkflowRuntime runtime) : ITimerDueHandler
{
    public Task OnTimerDueAsync(DueTimer timer, CancellationToken ct) =>
        runtime.ResumeAsync(new ResumeBookmarkRequest(timer.BookmarkId), ct);
}
