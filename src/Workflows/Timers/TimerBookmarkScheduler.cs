using Exit.Workflows.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Workflows.Timers;

/// <summary>
/// The runtime's one bookmark scheduler. After each commit, gives new timer bookmarks a durable wake-up and drops those of removed bookmarks. The caller
/// waits for the wake-ups (a bookmark without one would sleep until the next start-up reconcile) but not for the
/// removals: a trigger left behind by a crash or a failure only fires into a no-op (the bookmark is gone), so removing
/// it is clean-up, and waiting for it would add a Quartz transaction to every resume's latency.
/// </summary>
public sealed class TimerBookmarkScheduler(ITimerScheduler timers, ILogger<TimerBookmarkScheduler>? logger = null) : IBookmarkScheduler
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
    {
        if (removedIds.Count > 0) _ = CancelInBackgroundAsync(removedIds);
        var due = added.Where(b => b.DueAt is not null)
            .Select(b => new DueTimer(b.Id, b.InstanceId, b.DueAt!.Value))
            .ToList();
        if (due.Count > 0) await timers.ScheduleAsync(due, ct);
    }

    private async Task CancelInBackgroundAsync(IReadOnlyList<string> removedIds)
    {
        try
        {
            await timers.CancelAsync(removedIds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Removing the triggers of {Count} resumed or cancelled bookmarks failed; they will fire into no-ops", removedIds.Count);
        }
    }
}
