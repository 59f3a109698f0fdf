using Exit.Workflows.State;

namespace Exit.Workflows.Persistence;

/// <summary>
/// Everything one burst of execution changed, written in one transaction. <see cref="ExpectedVersion"/> is
/// the instance's concurrency version when it was loaded (null for a new instance).
/// </summary>
public sealed record InstanceCommit(
    WorkflowInstance Instance,
    long? ExpectedVersion,
    IReadOnlyList<Bookmark> AddedBookmarks,
    IReadOnlyList<string> RemovedBookmarkIds,
    IReadOnlyList<JournalRecord> Journal,
    IReadOnlyList<object> Effects)
{
    /// <summary>
    /// Set by the store when the commit's own transaction found and held a pending timer wake-up that fires no later than
    /// every timer this commit added (PostgreSQL in a cluster, <see cref="PendingWakeUpProbe"/>): that wake-up's sweep runs
    /// after this commit and sees its timers, so they need no wake-up call. False otherwise (the timers arm it as usual).
    /// </summary>
    public bool TimersCovered { get; internal set; }
}
