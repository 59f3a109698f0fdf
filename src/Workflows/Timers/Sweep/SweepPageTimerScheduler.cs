using System.Collections.Concurrent;
using Exit.Workflows.Execution;
using Exit.Workflows.State;

namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// The bookmark scheduler of one sweep page's resumes: new timers go on to the application's scheduler at once (their
/// commits wait for the wake-up, as always), but the triggers of the resumed bookmarks are only collected, and the page
/// drops them all in one go when its resumes are done (<see cref="TakeRemoved"/>). Resumed one by one, each commit
/// group's removals became a Quartz transaction of its own, competing with the instance writer for the write lock.
/// </summary>
/// <remarks>
/// Nothing is lost if the page never removes them (a crash, a failed removal): a trigger left behind fires into a no-op.
/// </remarks>
public sealed class SweepPageTimerScheduler(IBookmarkScheduler application) : IBookmarkScheduler
{
    private readonly ConcurrentQueue<string> _removed = new();

    public Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removedIds);
        foreach (var id in removedIds) _removed.Enqueue(id);
        return added.Count == 0 ? Task.CompletedTask : application.OnCommittedAsync(added, [], ct);
    }

    /// <summary>The removed timer bookmarks collected so far, each returned once, for the page to drop their triggers.</summary>
    public IReadOnlyList<string> TakeRemoved()
    {
        var ids = new List<string>(_removed.Count);
        while (_removed.TryDequeue(out var id)) ids.Add(id);
        return ids;
    }
}
