namespace Exit.Workflows.Persistence;

/// <summary>
/// Effect the runtime adds to a commit when bookmarks are removed without being resumed (the instance was
/// cancelled, or a terminal node or a race join ended the branch), so participants can close what they opened
/// for them, e.g. open tasks.
/// </summary>
/// <param name="Keys">The stimulus keys of those bookmarks (e.g. task ids), for records that know their bookmark by key.</param>
public sealed record BookmarksDiscarded(string InstanceId, IReadOnlyList<string> BookmarkIds, IReadOnlyList<string> Keys);
