using Exit.Workflows.Execution;
using Exit.Workflows.Scheduling;
using Exit.Workflows.State;

namespace Exit.Workflows.Hosting;

/// <summary>After each commit, gives new timer bookmarks a durable wake-up and drops those of removed bookmarks.</summary>
public sealed class TimerBookmarkScheduler(ITimerScheduler timers) : IBookmarkScheduler
{
    public async Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
    {
        var due = added.Where(b => b.DueAt is not null)
            .Select(b => new DueTimer(b.Id, b.InstanceId, b.DueAt!.Value))
            .ToList();
        if (due.Count > 0) await timers.ScheduleAsync(due, ct);
        if (removedIds.Count > 0) await timers.CancelAsync(removedIds, ct);
    }
}
