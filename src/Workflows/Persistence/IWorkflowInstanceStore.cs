using Exit.Workflows.State;

namespace Exit.Workflows.Persistence;

public sealed record BookmarkFilter(
    string? InstanceId = null,
    string? Kind = null,
    string? Key = null,
    string? CorrelationId = null,
    string? BookmarkId = null,
    DateTimeOffset? DueBefore = null,
    bool TimersOnly = false)
{
    /// <summary>At most this many bookmarks (e.g. a page of due timers); null for all.</summary>
    public int? Take { get; init; }
}

public sealed record InstanceFilter(
    string? DefinitionId = null,
    IReadOnlyCollection<string>? DefinitionIds = null,
    string? CorrelationId = null,
    WorkflowStatus? Status = null,
    WorkflowSubStatus? SubStatus = null,
    string? SearchTerm = null,
    int Page = 0,
    int PageSize = 50,
    bool Descending = true);

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>A list row: header columns only, never the state document.</summary>
public sealed record WorkflowInstanceSummary(
    string Id, string DefinitionId, string DefinitionVersionId, int Version, string? CorrelationId, string? Name,
    WorkflowStatus Status, WorkflowSubStatus SubStatus, int IncidentCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

/// <summary>An instance and its bookmarks as one read found them (bookmarks read after the instance).</summary>
public sealed record InstanceWithBookmarks(WorkflowInstance Instance, IReadOnlyList<Bookmark> Bookmarks);

/// <summary>Instances, their bookmarks and journal. One commit per burst; optimistic concurrency on the instance.</summary>
public interface IWorkflowInstanceStore
{
    Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct);

    /// <summary>Writes the commit atomically; throws <see cref="ConcurrencyConflictException"/> if the instance moved on.</summary>
    Task CommitAsync(InstanceCommit commit, CancellationToken ct);

    Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct);

    /// <summary>
    /// The instance a bookmark belongs to, with all its bookmarks, for a resume; null when the bookmark or the instance
    /// is gone. A store may answer in one round trip; the bookmarks may be newer than the instance (read after it), so
    /// a caller checks the bookmark is still among them. The default composes the three single reads.
    /// </summary>
    async Task<InstanceWithBookmarks?> FindByBookmarkAsync(string bookmarkId, CancellationToken ct)
    {
        var bookmark = (await FindBookmarksAsync(new BookmarkFilter(BookmarkId: bookmarkId), ct)).FirstOrDefault();
        if (bookmark is null) return null;
        var instance = await FindAsync(bookmark.InstanceId, ct);
        return instance is null ? null : new InstanceWithBookmarks(instance, await FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), ct));
    }

    Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct);

    Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct);

    /// <summary>
    /// Timer bookmarks not yet resumed, oldest due first (used to rebuild scheduler triggers). Like the due-timer page and
    /// the next due time, this serves the whole installation: every tenant's timers, each carrying its
    /// <see cref="Bookmark.TenantId"/>; whoever acts on one enters that tenant. Every other read here sees the caller's tenant.
    /// </summary>
    IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync(CancellationToken ct);

    /// <summary>
    /// A page of due timer bookmarks with their instances and all those instances' bookmarks, for the due-timer sweep
    /// (see <see cref="IDueTimerPageReader.ReadDueAsync"/> for the order and paging). A store may read the page in a
    /// few queries; the default composes the single reads (<see cref="StoreDueTimerPageReader"/>), which is correct
    /// for any store, so a decorator that does not forward this stays correct but reads per bookmark.
    /// </summary>
    Task<DueTimerPage> ReadDueTimersAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct) =>
        new StoreDueTimerPageReader(this).ReadDueAsync(dueBefore, after, take, ct);

    /// <summary>
    /// The earliest due time of a timer bookmark due strictly after <paramref name="after"/>; null when there is none.
    /// What the timer wake-up is armed for after a sweep. The default scans <see cref="ListTimerBookmarksAsync"/>.
    /// </summary>
    async Task<DateTimeOffset?> FindNextTimerDueAsync(DateTimeOffset after, CancellationToken ct)
    {
        await foreach (var bookmark in ListTimerBookmarksAsync(ct).ConfigureAwait(false))
            if (bookmark.DueAt is { } due && due > after) return due;
        return null;
    }

    /// <summary>
    /// Gives up the due timers this host's sweeps claimed (a store several hosts share claims them, see
    /// <c>TimerClaim</c>), so the other hosts may sweep them at once; called when the host stops. Default: nothing claimed.
    /// </summary>
    Task ReleaseTimerClaimsAsync(CancellationToken ct) => Task.CompletedTask;
}
