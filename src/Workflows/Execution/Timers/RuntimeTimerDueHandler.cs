using Exit.Workflows.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Workflows.Execution.Timers;

/// <summary>
/// Resumes a due timer bookmark. Idempotent: a bookmark already resumed, cancelled or discarded is gone, and
/// <see cref="IWorkflowRuntime.ResumeAsync"/> then does nothing.
/// </summary>
public sealed class RuntimeTimerDueHandler(IWorkflowRuntime runtime, ILogger<RuntimeTimerDueHandler>? logger = null) : ITimerDueHandler
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
    {
        var result = await runtime.ResumeAsync(new ResumeBookmarkRequest(timer.BookmarkId), ct).ConfigureAwait(false);
        if (result is null)
            _logger.LogDebug("Timer bookmark {BookmarkId} of instance {InstanceId} was already gone", timer.BookmarkId, timer.InstanceId);
    }
}
