using Exit.Workflows.Persistence;

namespace Exit.Activities.HumanTasks;

/// <summary>Finds the id of the bookmark a task's activity waits on (the runtime assigns it; the task knows its key).</summary>
public interface ITaskBookmarkLocator
{
    Task<string?> FindBookmarkIdAsync(string instanceId, string bookmarkKey, CancellationToken ct);
}

/// <summary>Looks the bookmark up in the runtime's instance store by instance id and key.</summary>
public sealed class InstanceStoreTaskBookmarkLocator(IWorkflowInstanceStore store) : ITaskBookmarkLocator
{
    public async Task<string?> FindBookmarkIdAsync(string instanceId, string bookmarkKey, CancellationToken ct)
    {
        // By instance only (one of the store's plain-SQL reads; an instance has a handful of bookmarks), then by key here.
        var bookmarks = (await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instanceId), ct))
            .Where(b => b.Key == bookmarkKey).ToList();
        return bookmarks.FirstOrDefault(b => b.Kind == HumanTask.TypeName)?.Id ?? bookmarks.FirstOrDefault()?.Id;
    }
}
