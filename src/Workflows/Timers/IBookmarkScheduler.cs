using Exit.Workflows.State;

namespace Exit.Workflows.Timers;

/// <summary>
/// Told after every successful commit which bookmarks appeared and which went away, so the timer scheduler
/// can add or drop triggers for those with a due time. Called outside the commit transaction: a crash in
/// between is repaired by rebuilding triggers from <see cref="Persistence.IWorkflowInstanceStore.ListTimerBookmarksAsync"/>.
/// </summary>
public interface IBookmarkScheduler
{
    /// <param name="added">Bookmarks created by the commit that have a due time (timers).</param>
    /// <param name="removedIds">Ids of the timer bookmarks (with a due time) the commit removed (resumed, cancelled or discarded).</param>
    Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct);
}

/// <summary>The default: nothing schedules timers (tests resume due bookmarks themselves).</summary>
public sealed class NullBookmarkScheduler : IBookmarkScheduler
{
    public Task OnCommittedAsync(IReadOnlyList<Bookmark> added, IReadOnlyList<string> removedIds, CancellationToken ct) => Task.CompletedTask;
}
