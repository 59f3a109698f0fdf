using System.Runtime.CompilerServices;
using Exit.Workflows.Persistence;
using Exit.Workflows.Scheduling;

namespace Exit.Workflows.Hosting;

/// <summary>The persisted timer bookmarks, from which missing scheduler triggers are rebuilt at start-up.</summary>
public sealed class StoreDueTimerSource(IWorkflowInstanceStore store) : IDueTimerSource
{
    public async IAsyncEnumerable<DueTimer> ListPendingAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var bookmark in store.ListTimerBookmarksAsync(ct))
        {
            if (bookmark.DueAt is { } due) yield return new DueTimer(bookmark.Id, bookmark.InstanceId, due);
        }
    }
}
