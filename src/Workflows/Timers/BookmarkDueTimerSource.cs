using System.Runtime.CompilerServices;
using Exit.Workflows.Persistence;
using Exit.Workflows.Timers.Quartz;

namespace Exit.Workflows.Timers;

/// <summary>The persisted timer bookmarks, the source of truth the timer reconciler repairs Quartz from.</summary>
public sealed class BookmarkDueTimerSource(IWorkflowInstanceStore instances) : IDueTimerSource
{
    public async IAsyncEnumerable<DueTimer> ListPendingAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var b in instances.ListTimerBookmarksAsync(ct).ConfigureAwait(false))
            if (b.DueAt is { } due) yield return new DueTimer(b.Id, b.InstanceId, due);
    }
}
