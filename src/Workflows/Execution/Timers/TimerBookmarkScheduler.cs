using Exit.Workflows.Scheduling;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution.Timers;

/// <summary>Hands the timer bookmarks of each commit to the durable <see cref="ITimerScheduler"/>.</summary>
public sealed class TimerBookmarkScheduler(ITimerScheduler timers) : IBookmarkScheduler
{
    public async Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
    {
        if (removedIds.Count > 0) await timers.CancelAsync(removedIds, ct).ConfigureAwait(false);
        var due = added.Where(b => b.DueAt is not null).Select(b => new DueTimer(b.Id, b.InstanceId, b.DueAt!.Value)).ToList();
        if (due.Count > 0) await timers.ScheduleAsync(due, ct).ConfigureAwait(false);
    }
}
