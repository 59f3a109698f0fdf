using Exit.Workflows.State;

namespace Exit.Workflows.Persistence;

/// <summary>An instance as read from the store together with all of its bookmarks.</summary>
public sealed record LoadedInstance(WorkflowInstance Instance, IReadOnlyList<Bookmark> Bookmarks);

/// <summary>
/// A page of due timer bookmarks, oldest due first, and the instances holding them with all their bookmarks, read
/// together so resuming the page needs no further reads. An instance missing from <see cref="Instances"/> (gone, or
/// changed between the reads) is simply read again by whoever resumes it.
/// </summary>
public sealed record DueTimerPage(IReadOnlyList<Bookmark> Due, IReadOnlyDictionary<string, LoadedInstance> Instances);

/// <summary>Where a page ended: the next page starts after this bookmark in (due time, id) order.</summary>
public sealed record DueTimerCursor(DateTimeOffset DueAt, string BookmarkId)
{
    public static DueTimerCursor? After(IReadOnlyList<Bookmark> page) =>
        page.Count > 0 && page[^1] is { DueAt: { } due } last ? new DueTimerCursor(due, last.Id) : null;
}

/// <summary>
/// Reads due timer bookmarks a page at a time with their instances: a handful of queries per page instead of
/// three reads per bookmark (bookmark, instance, the instance's bookmarks), which is what resuming them one by one costs.
/// </summary>
public interface IDueTimerPageReader
{
    /// <summary>
    /// At most <paramref name="take"/> timer bookmarks due at or before <paramref name="dueBefore"/>, in (due time, id)
    /// order, starting after <paramref name="after"/> (from the start when null). Paging by position rather than by
    /// "what is still due" lets the next page be read while the previous one's resumes are still committing.
    /// </summary>
    Task<DueTimerPage> ReadDueAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct);
}
