using System.Runtime.CompilerServices;
using Exit.Workflows.State;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// <see cref="IWorkflowInstanceStore"/> on EF Core (SQLite or PostgreSQL). Reads are EF queries without tracking;
/// lists project header columns only. Commits go through a group-commit writer (see <see cref="DatabaseOptions.GroupCommit"/>).
/// After a successful commit, <c>commit.Instance.ConcurrencyVersion</c> is the stored version: <c>(ExpectedVersion ?? 0) + 1</c>.
/// Register as a singleton (it owns the writer loop) and dispose it to drain the queue.
/// </summary>
public sealed class EfWorkflowInstanceStore : IWorkflowInstanceStore, IAsyncDisposable
{
    private readonly IDbContextFactory<WorkflowDbContext> _factory;
    private readonly InstanceCommitWriter _writer;

    public EfWorkflowInstanceStore(IDbContextFactory<WorkflowDbContext> factory, DatabaseOptions options, IEnumerable<ICommitParticipant> participants)
    {
        _factory = factory;
        _writer = new InstanceCommitWriter(factory, options, participants);
    }

    // Compiled once per store (a compiled query is bound to one model, i.e. one provider): the hot reads of a resume
    // skip EF's query-cache lookup.
    private readonly Func<WorkflowDbContext, string, CancellationToken, Task<InstanceRow?>> FindInstance =
        EF.CompileAsyncQuery((WorkflowDbContext db, string id, CancellationToken _) => db.Instances.AsNoTracking().FirstOrDefault(x => x.Id == id));

    private readonly Func<WorkflowDbContext, string, IAsyncEnumerable<BookmarkRow>> BookmarksOfInstance =
        EF.CompileAsyncQuery<WorkflowDbContext, string, BookmarkRow>((db, instanceId) =>
            db.Bookmarks.AsNoTracking().Where(x => x.InstanceId == instanceId).OrderBy(x => x.CreatedAt).ThenBy(x => x.Id));

    private readonly Func<WorkflowDbContext, string, IAsyncEnumerable<BookmarkRow>> BookmarkById =
        EF.CompileAsyncQuery((WorkflowDbContext db, string id) => db.Bookmarks.AsNoTracking().Where(x => x.Id == id));

    private readonly Func<WorkflowDbContext, string, string, IAsyncEnumerable<BookmarkRow>> BookmarksByKindAndKey =
        EF.CompileAsyncQuery<WorkflowDbContext, string, string, BookmarkRow>((db, kind, key) =>
            db.Bookmarks.AsNoTracking().Where(x => x.Kind == kind && x.Key == key).OrderBy(x => x.CreatedAt).ThenBy(x => x.Id));

    public async Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        var row = await FindInstance(db, instanceId, ct);
        return row is null ? null : InstanceStateSerializer.Deserialize(row);
    }

    private static async Task<IReadOnlyList<Bookmark>> ToListAsync(IAsyncEnumerable<BookmarkRow> rows, CancellationToken ct)
    {
        var list = new List<Bookmark>();
        await foreach (var row in rows.WithCancellation(ct)) list.Add(ToBookmark(row));
        return list;
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct) => _writer.CommitAsync(commit, ct);

    public async Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await _factory.CreateDbContextAsync(ct);
        if (filter is { Take: null, DueBefore: null, TimersOnly: false, CorrelationId: null })
        {
            if (filter is { InstanceId: { } instanceId, BookmarkId: null, Kind: null, Key: null })
                return await ToListAsync(BookmarksOfInstance(db, instanceId), ct);
            if (filter is { BookmarkId: { } bookmarkId, InstanceId: null, Kind: null, Key: null })
                return await ToListAsync(BookmarkById(db, bookmarkId), ct);
            if (filter is { Kind: { } kind, Key: { } key, InstanceId: null, BookmarkId: null })
                return await ToListAsync(BookmarksByKindAndKey(db, kind, key), ct);
        }
        var query = db.Bookmarks.AsNoTracking();
        if (filter.BookmarkId is not null) query = query.Where(x => x.Id == filter.BookmarkId);
        if (filter.InstanceId is not null) query = query.Where(x => x.InstanceId == filter.InstanceId);
        if (filter.Kind is not null) query = query.Where(x => x.Kind == filter.Kind);
        if (filter.Key is not null) query = query.Where(x => x.Key == filter.Key);
        if (filter.CorrelationId is not null) query = query.Where(x => x.CorrelationId == filter.CorrelationId);
        if (filter.TimersOnly || filter.DueBefore is not null)
        {
            query = query.Where(x => x.DueAt != null);
            if (filter.DueBefore is { } due) query = query.Where(x => x.DueAt <= due);
            query = query.OrderBy(x => x.DueAt).ThenBy(x => x.Id);
        }
        else
        {
            query = query.OrderBy(x => x.CreatedAt).ThenBy(x => x.Id);
        }
        if (filter.Take is { } take) query = query.Take(take);
        var rows = await query.ToListAsync(ct);
        return rows.ConvertAll(ToBookmark);
    }

    public async Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await _factory.CreateDbContextAsync(ct);
        var query = db.Instances.AsNoTracking();
        if (filter.DefinitionId is not null) query = query.Where(x => x.DefinitionId == filter.DefinitionId);
        if (filter.DefinitionIds is { Count: > 0 } ids) query = query.Where(x => ids.Contains(x.DefinitionId));
        if (filter.CorrelationId is not null) query = query.Where(x => x.CorrelationId == filter.CorrelationId);
        if (filter.Status is { } status) query = query.Where(x => x.Status == status);
        if (filter.SubStatus is { } subStatus) query = query.Where(x => x.SubStatus == subStatus);
        if (!string.IsNullOrWhiteSpace(filter.SearchTerm))
        {
            var term = filter.SearchTerm.Trim().ToLower();
            query = query.Where(x => x.Id.ToLower().Contains(term)
                || (x.Name != null && x.Name.ToLower().Contains(term))
                || (x.CorrelationId != null && x.CorrelationId.ToLower().Contains(term))
                || x.DefinitionId.ToLower().Contains(term));
        }
        var total = await query.CountAsync(ct);
        query = filter.Descending
            ? query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            : query.OrderBy(x => x.CreatedAt).ThenBy(x => x.Id);
        var items = await query
            .Skip(Math.Max(0, filter.Page) * filter.PageSize)
            .Take(filter.PageSize)
            .Select(x => new WorkflowInstanceSummary(x.Id, x.DefinitionId, x.DefinitionVersionId, x.Version, x.CorrelationId, x.Name,
                x.Status, x.SubStatus, x.IncidentCount, x.CreatedAt, x.UpdatedAt, x.FinishedAt))
            .ToListAsync(ct);
        return new Page<WorkflowInstanceSummary>(items, total);
    }

    public async Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        var query = db.Journal.AsNoTracking().Where(x => x.InstanceId == instanceId);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(x => x.Sequence).Skip(Math.Max(0, skip)).Take(take).ToListAsync(ct);
        return new Page<JournalRecord>(rows.ConvertAll(ToJournalRecord), total);
    }

    public async IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        var rows = db.Bookmarks.AsNoTracking().Where(x => x.DueAt != null).OrderBy(x => x.DueAt).ThenBy(x => x.Id).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
            yield return ToBookmark(row);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Writer counters (transactions, commits per transaction, time split) for measurements.</summary>
    internal string WriterStatistics => _writer.Statistics.ToString();

    internal static Bookmark ToBookmark(BookmarkRow r) => new()
    {
        Id = r.Id,
        InstanceId = r.InstanceId,
        ActivityInstanceId = r.ActivityInstanceId,
        ActivityNodeId = r.ActivityNodeId,
        Kind = r.Kind,
        Key = r.Key,
        CorrelationId = r.CorrelationId,
        DueAt = r.DueAt,
        CreatedAt = r.CreatedAt,
        Payload = InstanceStateSerializer.ParseObject(r.Payload),
    };

    internal static JournalRecord ToJournalRecord(JournalRow r) => new(
        r.InstanceId, r.Sequence, r.Timestamp, r.ActivityInstanceId, r.ParentActivityInstanceId, r.ActivityId, r.ActivityType,
        r.ActivityTypeVersion, r.ActivityName, r.NodeId, r.EventName, r.Message,
        InstanceStateSerializer.ParseObject(r.ActivityState), InstanceStateSerializer.ParseObject(r.Payload));
}
