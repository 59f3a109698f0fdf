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
    IReadOnlyList<object> Effects);
