namespace Exit.Workflows.Timers;

/// <summary>The runtime's persisted timer bookmarks: the source of truth <see cref="TimerReconciler"/> repairs Quartz from.</summary>
public interface IDueTimerSource
{
    /// <summary>Every timer bookmark not yet consumed, due or not. Streamed: there may be many.</summary>
    IAsyncEnumerable<DueTimer> ListPendingAsync(CancellationToken ct);
}
