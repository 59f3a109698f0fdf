using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// <see cref="IWorkflowInstanceStore"/> on EF Core (SQLite or PostgreSQL). The hot reads (instance by id; bookmarks by
/// instance, id or kind+key) are plain ADO.NET on a pooled context's connection; the other reads are EF queries without
/// tracking; lists project header columns only. Commits go through a group-commit writer (see <see cref="DatabaseOptions.GroupCommit"/>).
/// After a successful commit, <c>commit.Instance.ConcurrencyVersion</c> is the stored version: <c>(ExpectedVersion ?? 0) + 1</c>.
/// Register as a singleton (it owns the writer loop) and dispose it to drain the queue.
/// </summary>
public sealed class EfWorkflowInstanceStore : IWorkflowInstanceStore, IAsyncDisposable
{
    private readonly IDbContextFactory<WorkflowDbContext> _factory;
    private readonly InstanceCommitWriter _writer;
    private readonly EfDueTimerPageReader _dueTimers;
    private readonly TimerClaim? _claim;
    private readonly PreparedReads? _reads;

    public EfWorkflowInstanceStore(IDbContextFactory<WorkflowDbContext> factory, DatabaseOptions options, IEnumerable<ICommitParticipant> participants,
        PendingWakeUpProbe? wakeUpProbe = null)
    {
        _factory = factory;
        _writer = new InstanceCommitWriter(factory, options, participants, wakeUpProbe);
        // PostgreSQL may be shared by several hosts: their sweeps claim pages. SQLite has one host per file.
        _claim = options.Provider == DatabaseProvider.Postgres ? TimerClaim.ForThisProcess(options.TimerClaimLease) : null;
        _dueTimers = new EfDueTimerPageReader(factory, _claim);
        // The hot reads on open connections with prepared statements (SQLite: see PreparedReads for why not PostgreSQL).
        _reads = options.Provider == DatabaseProvider.Sqlite ? new PreparedReads(factory.CreateDbContext) : null;
    }

    /// <summary>This store's (host's) id in timer claims; null on SQLite, which never claims.</summary>
    public string? TimerClaimNode => _claim?.Node;

    /// <summary>Gives up this host's timer claims (it is stopping): the other hosts may sweep them at once.</summary>
    public async Task ReleaseTimerClaimsAsync(CancellationToken ct)
    {
        if (_claim is null) return;
        await using var db = await _factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = TimerClaim.ReleaseSql;
        cmd.AddParameter("@node", _claim.Node);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Three queries per page (<see cref="EfDueTimerPageReader"/>) instead of three reads per due bookmark.</summary>
    public Task<DueTimerPage> ReadDueTimersAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct) =>
        _dueTimers.ReadDueAsync(dueBefore, after, take, ct);

    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct) =>
        ReadAsync(FindById, instanceId, null, static async (reader, ct) => await reader.ReadAsync(ct) ? ReadInstance(reader) : null, ct);

    /// <summary>
    /// A resume's read in one round trip: the instance that owns the bookmark, then that instance's bookmarks, as two
    /// statements of one command (both providers return them as two result sets). Each statement finds the instance
    /// through the bookmark, so a bookmark removed in between yields no bookmarks and the caller answers "gone".
    /// </summary>
    public Task<InstanceWithBookmarks?> FindByBookmarkAsync(string bookmarkId, CancellationToken ct) =>
        ReadAsync(FindByBookmark, bookmarkId, null, ReadInstanceWithBookmarksAsync, ct);

    /// <summary>Reads the two result sets of <see cref="FindByBookmarkSqlFor"/>, the reader on the first.</summary>
    internal static async Task<InstanceWithBookmarks?> ReadInstanceWithBookmarksAsync(DbDataReader reader, CancellationToken ct)
    {
        var instance = await reader.ReadAsync(ct) ? ReadInstance(reader) : null;
        if (instance is null) return null;
        await reader.NextResultAsync(ct);
        return new InstanceWithBookmarks(instance, await ReadBookmarksAsync(reader, ct));
    }

    private static readonly ReadStatement FindById = new(FindByIdSql, ("@id", DbType.String), ("@tenant_id", DbType.String));
    private static readonly ReadStatement FindByBookmark = new(FindByBookmarkSqlFor("@bookmark_id", "@tenant_id"), ("@bookmark_id", DbType.String), ("@tenant_id", DbType.String));
    private static readonly ReadStatement BookmarksByInstance = new(BookmarksWhereSql(ByInstanceWhere), ("@instance_id", DbType.String), ("@tenant_id", DbType.String));
    private static readonly ReadStatement BookmarkById = new(BookmarksWhereSql(ByIdWhere), ("@id", DbType.String), ("@tenant_id", DbType.String));
    private static readonly ReadStatement BookmarksByKindAndKey = new(BookmarksWhereSql(ByKindAndKeyWhere), ("@kind", DbType.String), ("@key", DbType.String), ("@tenant_id", DbType.String));

    /// <summary>
    /// Runs one of the hot reads: its parameters are the one or two keys, then the tenant (raw SQL bypasses EF's filter,
    /// so each statement tests the caller's tenant itself; no scope: a value no row has, so it sees nothing, as the filter
    /// does). On SQLite on a prepared session, elsewhere on a pooled context's connection.
    /// </summary>
    private async Task<T> ReadAsync<T>(ReadStatement statement, string first, string? second,
        Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (_reads is not null)
        {
            var session = await _reads.RentAsync(ct);
            var reusable = false;
            try
            {
                var result = await ExecuteAsync(session.Command(statement), first, second, read, ct);
                reusable = true;
                return result;
            }
            finally
            {
                _reads.Return(session, reusable);
            }
        }
        await using var db = await _factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = statement.Create(db.Database.GetDbConnection());
        return await ExecuteAsync(cmd, first, second, read, ct);
    }

    private static async Task<T> ExecuteAsync<T>(DbCommand cmd, string first, string? second,
        Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var parameters = cmd.Parameters;
        parameters[0].Value = first;
        if (second is not null) parameters[1].Value = second;
        parameters[parameters.Count - 1].Value = (object?)TenantScope.Current ?? DBNull.Value;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await read(reader, ct);
    }

    internal const string FindByIdSql = FindInstanceSql + " WHERE \"id\" = @id AND \"tenant_id\" = @tenant_id";

    internal static string FindByBookmarkSql => FindByBookmark.Sql;

    /// <summary>
    /// The resume's read as two statements: the instance that owns the bookmark <paramref name="bookmarkIdSql"/> names (a
    /// parameter, or a sub-select of another hot read that sends these statements behind its own in one round trip),
    /// then that instance's bookmarks; both only in the tenant <paramref name="tenantParameter"/> holds.
    /// </summary>
    internal static string FindByBookmarkSqlFor(string bookmarkIdSql, string tenantParameter)
    {
        var tenantTest = TenantColumnEquals + tenantParameter;
        var instanceOfBookmark = $"SELECT \"instance_id\" FROM \"wf_bookmarks\" WHERE \"id\" = {bookmarkIdSql} AND {tenantTest}";
        return $"{FindInstanceSql} WHERE \"id\" = ({instanceOfBookmark}) AND {tenantTest};\n" +
               $"SELECT {BookmarkColumns} FROM \"wf_bookmarks\" WHERE \"instance_id\" = ({instanceOfBookmark}) AND {tenantTest} ORDER BY \"created_at\", \"id\"";
    }

    /// <summary>
    /// The left side of the resume's tenant test (the tenant parameter completes it), written so that it is never an index condition: with a plain
    /// <c>"tenant_id" = @tenant_id</c> PostgreSQL chose the tenant-leading index (<c>ix_wf_bookmarks_tenant_id_kind_key</c>)
    /// over the primary key when its statistics were behind a growing table (every bookmark of the municipality scanned:
    /// 0.9 ms instead of 0.03, measured with prepared statements in the cluster bench). The id or instance id finds the
    /// rows; the tenant only filters them.
    /// </summary>
    private const string TenantColumnEquals = "COALESCE(\"tenant_id\", '') = ";

    private static WorkflowInstance ReadInstance(System.Data.Common.DbDataReader reader) =>
        InstanceStateSerializer.Deserialize(new InstanceRow
        {
            Id = reader.GetString(0), DefinitionId = reader.GetString(1), DefinitionVersionId = reader.GetString(2), Version = reader.GetInt32(3),
            CorrelationId = reader.IsDBNull(4) ? null : reader.GetString(4), Name = reader.IsDBNull(5) ? null : reader.GetString(5),
            Status = (WorkflowStatus)reader.GetInt32(6), SubStatus = (WorkflowSubStatus)reader.GetInt32(7), IncidentCount = reader.GetInt32(8),
            CreatedAt = UtcTicksConverter.FromTicks(reader.GetInt64(9)), UpdatedAt = UtcTicksConverter.FromTicks(reader.GetInt64(10)),
            FinishedAt = reader.IsDBNull(11) ? null : UtcTicksConverter.FromTicks(reader.GetInt64(11)),
            ConcurrencyVersion = reader.GetInt64(12), State = reader.GetString(13), TenantId = reader.GetString(14),
        });

    // Hot reads of a resume in plain ADO.NET on the context's connection: EF's query pipeline cost more than the read.
    private const string FindInstanceSql =
        "SELECT \"id\", \"definition_id\", \"definition_version_id\", \"version\", \"correlation_id\", \"name\", \"status\", \"sub_status\", " +
        "\"incident_count\", \"created_at\", \"updated_at\", \"finished_at\", \"concurrency_version\", \"state\", \"tenant_id\" FROM \"wf_instances\"";

    private const string BookmarkColumns =
        "\"id\", \"instance_id\", \"activity_instance_id\", \"activity_node_id\", \"kind\", \"key\", \"correlation_id\", \"due_at\", \"created_at\", \"payload\", \"tenant_id\"";

    internal static string BookmarksWhereSql(string where) =>
        $"SELECT {BookmarkColumns} FROM \"wf_bookmarks\" WHERE ({where}) AND \"tenant_id\" = @tenant_id ORDER BY \"created_at\", \"id\"";

    /// <summary>The three hot bookmark reads' conditions (<see cref="FindBookmarksAsync"/>).</summary>
    internal const string ByInstanceWhere = "\"instance_id\" = @instance_id";
    internal const string ByIdWhere = "\"id\" = @id";
    internal const string ByKindAndKeyWhere = "\"kind\" = @kind AND \"key\" = @key";

    private static async Task<IReadOnlyList<Bookmark>> ReadBookmarksAsync(System.Data.Common.DbDataReader reader, CancellationToken ct)
    {
        var list = new List<Bookmark>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new Bookmark
            {
                Id = reader.GetString(0), InstanceId = reader.GetString(1), ActivityInstanceId = reader.GetString(2),
                ActivityNodeId = reader.GetString(3), Kind = reader.GetString(4), Key = reader.IsDBNull(5) ? null : reader.GetString(5),
                CorrelationId = reader.IsDBNull(6) ? null : reader.GetString(6),
                DueAt = reader.IsDBNull(7) ? null : UtcTicksConverter.FromTicks(reader.GetInt64(7)),
                CreatedAt = UtcTicksConverter.FromTicks(reader.GetInt64(8)),
                Payload = reader.IsDBNull(9) ? null : InstanceStateSerializer.ParseObject(reader.GetString(9)),
                TenantId = reader.GetString(10),
            });
        }
        return list;
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct) => _writer.CommitAsync(commit, ct);

    public async Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter is { Take: null, DueBefore: null, TimersOnly: false, CorrelationId: null })
        {
            if (filter is { InstanceId: { } instanceId, BookmarkId: null, Kind: null, Key: null })
                return await ReadAsync(BookmarksByInstance, instanceId, null, ReadBookmarksAsync, ct);
            if (filter is { BookmarkId: { } bookmarkId, InstanceId: null, Kind: null, Key: null })
                return await ReadAsync(BookmarkById, bookmarkId, null, ReadBookmarksAsync, ct);
            if (filter is { Kind: { } kind, Key: { } key, InstanceId: null, BookmarkId: null })
                return await ReadAsync(BookmarksByKindAndKey, kind, key, ReadBookmarksAsync, ct);
        }
        await using var db = await _factory.CreateDbContextAsync(ct);
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
        skip = Math.Max(0, skip);
        // From the first row: a row may take its state or node id from any row before it (JournalCompaction).
        var ordered = query.OrderBy(x => x.Sequence);
        var rows = await (skip + (long)take >= total ? ordered : ordered.Take(skip + take)).ToListAsync(ct);
        var records = JournalCompaction.Expand(rows);
        return new Page<JournalRecord>(records.Skip(skip).Take(take).ToList(), total);
    }

    public async IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        // Every tenant's timers: the scheduler is one for the installation; whoever acts on one enters its tenant.
        var rows = db.Bookmarks.IgnoreQueryFilters().AsNoTracking().Where(x => x.DueAt != null).OrderBy(x => x.DueAt).ThenBy(x => x.Id).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
            yield return ToBookmark(row);
    }

    /// <summary>
    /// One seek on the <c>(due_at, id)</c> index. With claims (PostgreSQL) also the earliest end of a live claim, which
    /// may hold timers due before <paramref name="after"/> (another host's, perhaps a dead one's): the wake-up then comes
    /// when they are free again.
    /// </summary>
    public async Task<DateTimeOffset?> FindNextTimerDueAsync(DateTimeOffset after, CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        // Every tenant's timers: the one wake-up serves the whole installation.
        var next = await db.Bookmarks.IgnoreQueryFilters().AsNoTracking()
            .Where(x => x.DueAt != null && x.DueAt > after)
            .OrderBy(x => x.DueAt)
            .Select(x => x.DueAt)
            .FirstOrDefaultAsync(ct);
        if (_claim is null) return next;
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = TimerClaim.NextExpirySql;
        cmd.AddParameter("@after", after.UtcTicks);
        if (await cmd.ExecuteScalarAsync(ct) is long ticks)
        {
            var expiry = UtcTicksConverter.FromTicks(ticks);
            if (next is null || expiry < next) next = expiry;
        }
        return next;
    }

    public ValueTask DisposeAsync()
    {
        _reads?.Dispose();
        return _writer.DisposeAsync();
    }

    /// <summary>Writer counters (transactions, commits per transaction, time split) for measurements.</summary>
    internal string WriterStatistics => _writer.Statistics.ToString();

    /// <summary>SQLite: group-commit batches whose attempt without savepoints failed and were applied again commit by commit.</summary>
    internal long WriterRetriedBatches => _writer.Statistics.RetriedBatches;

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
        TenantId = r.TenantId,
    };

}
