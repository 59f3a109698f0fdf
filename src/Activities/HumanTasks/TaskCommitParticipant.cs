using System.Data;
using System.Data.Common;
using System.Text.Json;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Writes task effects inside the runtime's commit transaction, so a task row and the instance state that created,
/// completed or discarded it change together or not at all.
/// </summary>
public sealed class TaskCommitParticipant(TimeProvider clock) : IBatchedCommitParticipant
{
    /// <summary>Every write here is a <see cref="CommitStatement"/>: on PostgreSQL they all ride in the writer's batch.</summary>
    public bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects) => true;

    /// <summary>The statements of <see cref="ApplyAsync"/>, in the same order, added to the writer's batch.</summary>
    public void AddTo(CommitBatch batch, IReadOnlyList<object> effects)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var (statement, bind, check) in Statements(batch.Provider, effects))
            batch.Add(statement, bind, static (p, b) => b(p), check);
    }

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (statement, bind, check) in Statements(context.Provider, effects))
        {
            var rows = await context.ExecuteAsync(statement, bind, static (p, b) => b(p), cancellationToken);
            if (check?.Invoke(rows) is { } error) throw error;
        }
    }

    /// <summary>
    /// The writes for <paramref name="effects"/>, one statement each with its values and, for a conditional one, the check
    /// on the rows it affected; both paths above run exactly these.
    /// </summary>
    private IEnumerable<(CommitStatement Statement, Action<DbParameterCollection> Bind, Func<int, Exception?>? Check)> Statements(
        DatabaseProvider provider, IReadOnlyList<object> effects)
    {
        if (!effects.Any(e => e is TaskCreated or TaskCompleted or BookmarksDiscarded))
            yield break;

        // The runtime enters the instance's municipality around the commit; the raw statements below bypass the EF
        // filter and interceptor, so each one names the tenant itself.
        var tenant = TenantScope.Required();
        // Effects apply in order, so a task created and discarded in the same burst ends up cancelled.
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case TaskCreated c:
                    var record = ToRecord(c, tenant);
                    yield return (Insert, p => BindInsert(p, record), null);
                    break;
                case TaskCompleted c:
                    // Conditional on Open: the row lock (Postgres) or the write lock (SQLite) makes a second completion see 0 rows.
                    yield return (provider == DatabaseProvider.Postgres ? CompleteOnPostgres : Complete, p => BindComplete(p, (tenant, c)),
                        rows => rows == 0 ? new ConcurrencyConflictException($"Task {c.TaskId} is no longer open.") : null);
                    break;
                case BookmarksDiscarded d:
                    long now = clock.GetUtcNow().UtcTicks;
                    // A task's bookmark key is its id; the bookmark id matches too once the runtime records it.
                    foreach (var bookmark in d.Keys.Concat(d.BookmarkIds).Distinct())
                        yield return (provider == DatabaseProvider.Sqlite ? CancelOnSqlite : Cancel, p => BindCancel(p, (tenant, d.InstanceId, bookmark, now)), null);
                    break;
            }
        }
    }

    // Plain parameterised SQL rather than SaveChanges/ExecuteUpdate or an EF context per commit: this runs inside the
    // single writer's serial section, where change tracking cost ~0.5 ms per insert and a context plus a command built
    // per statement was about half of the writer's time; the writer keeps each statement prepared on its connection.
    // Quoted PascalCase identifiers and parameters read the same on SQLite and PostgreSQL; instants are UTC ticks as in
    // the model (TaskSchemaTests and the participant tests keep the two in step). Parameters bind by position.
    private static readonly CommitStatement Insert = new("""
        INSERT INTO "HumanTasks" ("TenantId", "Id", "Title", "Instructions", "Kind", "Assignee", "Role", "CorrelationId", "InstanceId",
            "ActivityInstanceId", "ActivityId", "BookmarkKey", "DueAt", "DueOrder", "Status", "AllowedOutcomesJson",
            "FormSchemaJson", "CreatedAt", "Version")
        VALUES (@tenant, @id, @title, @instructions, @kind, @assignee, @role, @correlation, @instance,
            @activity_instance, @activity, @bookmark_key, @due_at, @due_order, @status, @outcomes,
            @form, @created_at, @version)
        """,
        ("@tenant", DbType.String), ("@id", DbType.String), ("@title", DbType.String), ("@instructions", DbType.String),
        ("@kind", DbType.String), ("@assignee", DbType.String), ("@role", DbType.String), ("@correlation", DbType.String),
        ("@instance", DbType.String), ("@activity_instance", DbType.String), ("@activity", DbType.String),
        ("@bookmark_key", DbType.String), ("@due_at", DbType.Int64), ("@due_order", DbType.Int64), ("@status", DbType.String),
        ("@outcomes", DbType.String), ("@form", DbType.String), ("@created_at", DbType.Int64), ("@version", DbType.Int64));

    private static void BindInsert(DbParameterCollection p, TaskRecord t)
    {
        p[0].Value = t.TenantId;
        p[1].Value = t.Id;
        p[2].Value = t.Title;
        p[3].Value = Nullable(t.Instructions);
        p[4].Value = Nullable(t.Kind);
        p[5].Value = Nullable(t.Assignee);
        p[6].Value = Nullable(t.Role);
        p[7].Value = Nullable(t.CorrelationId);
        p[8].Value = t.InstanceId;
        p[9].Value = t.ActivityInstanceId;
        p[10].Value = t.ActivityId;
        p[11].Value = t.BookmarkKey;
        p[12].Value = t.DueAt is { } due ? due.UtcTicks : DBNull.Value;
        p[13].Value = t.DueOrder;
        p[14].Value = t.Status.ToString();
        p[15].Value = t.AllowedOutcomesJson;
        p[16].Value = Nullable(t.FormSchemaJson);
        p[17].Value = t.CreatedAt.UtcTicks;
        p[18].Value = t.Version;
    }

    private static readonly (string Name, DbType Type)[] CompleteParameters =
    [
        ("@completed", DbType.String), ("@outcome", DbType.String), ("@data", DbType.String), ("@completed_at", DbType.Int64),
        ("@completed_by", DbType.String), ("@tenant", DbType.String), ("@id", DbType.String), ("@open", DbType.String),
    ];

    private static readonly CommitStatement Complete = new("""
        UPDATE "HumanTasks"
        SET "Status" = @completed, "Outcome" = @outcome, "DataJson" = @data, "CompletedAt" = @completed_at,
            "CompletedBy" = @completed_by, "Version" = "Version" + 1
        WHERE "Id" = @id AND "TenantId" = @tenant AND "Status" = @open
        """, CompleteParameters);

    // The same on PostgreSQL, where the row must be found by its key alone: "Status" || '' keeps the open-status check
    // off the (TenantId, Status, …) list indexes, which PostgreSQL's planner otherwise picks for this statement and then
    // walks every open task of the tenant to find the one Id (seen with auto_explain in the bench; the primary key finds
    // it in three pages). SQL Server before 2025 has no || operator, hence two texts.
    private static readonly CommitStatement CompleteOnPostgres = new("""
        UPDATE "HumanTasks"
        SET "Status" = @completed, "Outcome" = @outcome, "DataJson" = @data, "CompletedAt" = @completed_at,
            "CompletedBy" = @completed_by, "Version" = "Version" + 1
        WHERE "Id" = @id AND "TenantId" = @tenant AND "Status" || '' = @open
        """, CompleteParameters);

    private static void BindComplete(DbParameterCollection p, (string Tenant, TaskCompleted Completed) s)
    {
        var c = s.Completed;
        p[0].Value = Completed;
        p[1].Value = c.Outcome;
        p[2].Value = Nullable(c.Data?.ToJsonString());
        p[3].Value = c.CompletedAt.UtcTicks;
        p[4].Value = Nullable(c.CompletedBy);
        p[5].Value = s.Tenant;
        p[6].Value = c.TaskId;
        p[7].Value = Open;
    }

    private static readonly (string Name, DbType Type)[] CancelParameters =
    [
        ("@cancelled", DbType.String), ("@now", DbType.Int64), ("@tenant", DbType.String), ("@instance", DbType.String),
        ("@open", DbType.String), ("@bookmark", DbType.String),
    ];

    private static readonly CommitStatement Cancel = new("""
        UPDATE "HumanTasks"
        SET "Status" = @cancelled, "CancelledAt" = @now, "Version" = "Version" + 1
        WHERE "TenantId" = @tenant AND "InstanceId" = @instance AND "Status" = @open AND ("BookmarkKey" = @bookmark OR "BookmarkId" = @bookmark)
        """, CancelParameters);

    // The same on SQLite, whose planner (without ANALYZE statistics, as a service database has them) ranks the
    // (TenantId, Status, …) list index above the instance index — two equality columns against one — and so walked every
    // open task of the municipality, in the writer's serial section, to cancel one instance's task. A unary + takes the
    // tenant and status tests out of index use: the instance index is the only candidate (plan pinned in TaskIndexTests).
    internal static readonly CommitStatement CancelOnSqlite = new("""
        UPDATE "HumanTasks"
        SET "Status" = @cancelled, "CancelledAt" = @now, "Version" = "Version" + 1
        WHERE +"TenantId" = @tenant AND "InstanceId" = @instance AND +"Status" = @open AND ("BookmarkKey" = @bookmark OR "BookmarkId" = @bookmark)
        """, CancelParameters);

    private static void BindCancel(DbParameterCollection p, (string Tenant, string InstanceId, string Bookmark, long Now) s)
    {
        p[0].Value = Cancelled;
        p[1].Value = s.Now;
        p[2].Value = s.Tenant;
        p[3].Value = s.InstanceId;
        p[4].Value = Open;
        p[5].Value = s.Bookmark;
    }

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private static readonly string Open = nameof(HumanTaskStatus.Open);
    private static readonly string Completed = nameof(HumanTaskStatus.Completed);
    private static readonly string Cancelled = nameof(HumanTaskStatus.Cancelled);

    internal static TaskRecord ToRecord(TaskCreated c, string tenantId) => new()
    {
        TenantId = tenantId,
        Id = c.TaskId,
        Title = c.Title,
        Instructions = c.Instructions,
        Kind = c.Kind,
        Assignee = c.Assignee,
        Role = c.Role,
        CorrelationId = c.CorrelationId,
        InstanceId = c.InstanceId,
        ActivityInstanceId = c.ActivityInstanceId,
        ActivityId = c.ActivityId,
        BookmarkKey = c.BookmarkKey,
        DueAt = c.DueAt,
        DueOrder = TaskRecord.DueOrderOf(c.DueAt),
        Status = HumanTaskStatus.Open,
        AllowedOutcomesJson = JsonSerializer.Serialize(c.AllowedOutcomes),
        FormSchemaJson = c.FormSchema?.ToJsonString(),
        CreatedAt = c.CreatedAt,
        Version = 1,
    };
}
