namespace Exit.Workflows.Timers;

/// <summary>
/// Resumes a timer bookmark when it is due; implemented by the runtime and resolved from a DI scope
/// created for each firing. Must be idempotent: a bookmark already consumed (or gone) is a no-op,
/// because a wake-up can be delivered more than once (retry after a failure, reconcile after a crash).
/// </summary>
public interface ITimerDueHandler
{
    /// <summary>Resumes the bookmark. An exception is logged and the firing is retried with back-off.</summary>
    Task OnTimerDueAsync(DueTimer timer, CancellationToken ct);
}
