using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// The instance store as one resume in a sweep sees it: the first read of the bookmark, of its instance and of the
/// instance's bookmarks are answered from the sweep's page (<see cref="IDueTimerPageReader"/>), everything else (and any
/// second read, i.e. the reload after a concurrency conflict) goes to the real store.
/// </summary>
/// <remarks>
/// Safe because a snapshot only saves reads, never decides anything: the commit is checked against the instance's
/// stored concurrency version and the removed bookmark rows, so a page that is stale by the time it commits (a Quartz
/// firing or another node resumed the bookmark first) conflicts, the runtime reloads from the real store, finds the
/// bookmark gone and does nothing. Each snapshot is handed to one resume only (the runtime mutates what it loads).
/// </remarks>
public sealed class SnapshotInstanceStore(IWorkflowInstanceStore inner, Bookmark bookmark, LoadedInstance loaded) : IWorkflowInstanceStore
{
    private int _bookmarkServed, _instanceServed, _bookmarksServed;

    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct) =>
        instanceId == loaded.Instance.Id && Interlocked.Exchange(ref _instanceServed, 1) == 0
            ? Task.FromResult<WorkflowInstance?>(loaded.Instance)
            : inner.FindAsync(instanceId, ct);

    public Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct)
    {
        if (filter == new BookmarkFilter(BookmarkId: bookmark.Id) && Interlocked.Exchange(ref _bookmarkServed, 1) == 0)
            return Task.FromResult<IReadOnlyList<Bookmark>>([bookmark]);
        if (filter == new BookmarkFilter(InstanceId: loaded.Instance.Id) && Interlocked.Exchange(ref _bookmarksServed, 1) == 0)
            return Task.FromResult(loaded.Bookmarks);
        return inner.FindBookmarksAsync(filter, ct);
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct) => inner.CommitAsync(commit, ct);

    public Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct) => inner.ListAsync(filter, ct);

    public Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct) =>
        inner.GetJournalAsync(instanceId, skip, take, ct);

    public IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync(CancellationToken ct) => inner.ListTimerBookmarksAsync(ct);

    public Task<DueTimerPage> ReadDueTimersAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct) =>
        inner.ReadDueTimersAsync(dueBefore, after, take, ct);

    public Task<DateTimeOffset?> FindNextTimerDueAsync(DateTimeOffset after, CancellationToken ct) => inner.FindNextTimerDueAsync(after, ct);
}
