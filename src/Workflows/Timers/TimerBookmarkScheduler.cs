using Exit.Workflows.State;

namespace Exit.Workflows.Timers;

/// <summary>
/// The runtime's one bookmark scheduler. A timer's due time is already durable in its bookmark row, written in the
/// instance's commit; all that is left after the commit is to make sure the wake-up fires no later than the earliest new
/// one (<see cref="ITimerWakeUp.ArmAsync"/>), which usually costs nothing because an earlier wake-up is pending.
/// Removed timers need nothing: a wake-up that finds nothing due arms the next one and goes back to sleep.
/// </summary>
/// <remarks>
/// The caller waits for the wake-up to be stored: a timer whose wake-up was lost would sleep until the next start-up sweep.
/// A crash between the commit and this call is repaired by that sweep, which arms the wake-up from the store.
/// </remarks>
public sealed class TimerBookmarkScheduler(ITimerWakeUp wakeUp) : IBookmarkScheduler
{
    public Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(added);
        DateTimeOffset? earliest = null;
        foreach (var bookmark in added)
            if (bookmark.DueAt is { } due && (earliest is null || due < earliest)) earliest = due;
        return earliest is { } first ? wakeUp.ArmAsync(first, ct) : Task.CompletedTask;
    }
}
