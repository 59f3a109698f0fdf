using Exit.Workflows.Persistence;

namespace Exit.Workflows.Persistence;

/// <summary>
/// <see cref="IDueTimerPageReader"/> through any <see cref="IWorkflowInstanceStore"/> (the in-memory one in tests): the
/// page, then each instance and its bookmarks. No cheaper than resuming one by one, but the sweep has one path.
/// </summary>
public sealed class StoreDueTimerPageReader(IWorkflowInstanceStore store) : IDueTimerPageReader
{
    public async Task<DueTimerPage> ReadDueAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct)
    {
        // The store's filter has no cursor: all that is due is read and the page cut in memory (test stores are small).
        var all = await store.FindBookmarksAsync(new BookmarkFilter(DueBefore: dueBefore, TimersOnly: true), ct).ConfigureAwait(false);
        var due = all
            .Where(b => after is null || b.DueAt > after.DueAt || (b.DueAt == after.DueAt && string.CompareOrdinal(b.Id, after.BookmarkId) > 0))
            .OrderBy(b => b.DueAt).ThenBy(b => b.Id, StringComparer.Ordinal)
            .Take(take)
            .ToList();
        var loaded = new Dictionary<string, LoadedInstance>(StringComparer.Ordinal);
        foreach (var id in due.Select(b => b.InstanceId).Distinct(StringComparer.Ordinal))
        {
            if (await store.FindAsync(id, ct).ConfigureAwait(false) is not { } instance) continue;
            var bookmarks = await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: id), ct).ConfigureAwait(false);
            loaded[id] = new LoadedInstance(instance, bookmarks);
        }
        return new DueTimerPage(due, loaded);
    }
}
