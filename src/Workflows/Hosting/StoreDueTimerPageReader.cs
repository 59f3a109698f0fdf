using Exit.Workflows.Persistence;

namespace Exit.Workflows.Hosting;

/// <summary>
/// <see cref="IDueTimerPageReader"/> through any <see cref="IWorkflowInstanceStore"/> (the in-memory one in tests): the
/// page, then each instance and its bookmarks. No cheaper than resuming one by one, but the sweep has one path.
/// </summary>
public sealed class StoreDueTimerPageReader(IWorkflowInstanceStore store) : IDueTimerPageReader
{
    public async Task<DueTimerPage> ReadDueAsync(DateTimeOffset dueBefore, int take, CancellationToken ct)
    {
        var due = await store.FindBookmarksAsync(new BookmarkFilter(DueBefore: dueBefore, TimersOnly: true) { Take = take }, ct)
            .ConfigureAwait(false);
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
