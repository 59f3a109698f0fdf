namespace Exit.Workflows.Timers;

/// <summary>
/// Keeps one durable wake-up per timer bookmark. The runtime calls it after committing the bookmarks
/// it created or consumed; <see cref="TimerReconciler"/> repairs anything lost between the two.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>
    /// Makes sure each timer is scheduled. Idempotent: a bookmark that already has a pending wake-up keeps
    /// it (no duplicate, no error), so a retry after a crash is safe.
    /// </summary>
    Task ScheduleAsync(IReadOnlyCollection<DueTimer> timers, CancellationToken ct);

    /// <summary>Removes the wake-ups of these bookmarks. Unknown ids are ignored.</summary>
    Task CancelAsync(IReadOnlyCollection<string> bookmarkIds, CancellationToken ct);
}
