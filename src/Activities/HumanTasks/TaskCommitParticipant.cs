using System.Text.Json;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Writes task effects inside the runtime's commit transaction with its own <see cref="TaskDbContext"/>, so a task
/// row and the instance state that created, completed or discarded it change together or not at all.
/// </summary>
public sealed class TaskCommitParticipant(TaskDbContextFactory contexts, TimeProvider clock) : ICommitParticipant
{
    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        if (!effects.Any(e => e is TaskCreated or TaskCompleted or BookmarksDiscarded))
            return;

        // The runtime enters the instance's municipality around the commit; the raw statements below bypass the EF
        // filter and interceptor, so each one names the tenant itself.
        var tenant = TenantScope.Required();
        await using var db = await contexts.CreateEnlistedAsync(context, cancellationToken);
        // Effects apply in order, so a task created and discarded in the same burst ends up cancelled.
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case TaskCreated c:
                    await InsertAsync(db, ToRecord(c, tenant), cancellationToken);
                    break;
                case TaskCompleted c:
                    await CompleteAsync(db, tenant, c, cancellationToken);
                    break;
                case BookmarksDiscarded d:
                    await CancelAsync(db, tenant, d, cancellationToken);
                    break;
            }
        }
    }

    // Plain parameterised SQL on the enlisted context rather than SaveChanges/ExecuteUpdate: change tracking cost
    // ~0.5 ms per insert here, and EF 10 embeds ExecuteUpdate setter values as constants, so every call recompiles
    // (~1 ms). Quoted PascalCase identifiers and parameters read the same on SQLite and PostgreSQL; instants are
    // UTC ticks as in the model (TaskSchemaTests and the participant tests keep the two in step).
    private static async Task InsertAsync(TaskDbContext db, TaskRecord t, CancellationToken ct)
    {
        long? dueAt = t.DueAt?.UtcTicks;
        var status = t.Status.ToString();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "HumanTasks" ("TenantId", "Id", "Title", "Instructions", "Kind", "Assignee", "Role", "CorrelationId", "InstanceId",
                "ActivityInstanceId", "ActivityId", "BookmarkKey", "DueAt", "DueOrder", "Status", "AllowedOutcomesJson",
                "FormSchemaJson", "CreatedAt", "Version")
            VALUES ({t.TenantId}, {t.Id}, {t.Title}, {t.Instructions}, {t.Kind}, {t.Assignee}, {t.Role}, {t.CorrelationId}, {t.InstanceId},
                {t.ActivityInstanceId}, {t.ActivityId}, {t.BookmarkKey}, {dueAt}, {t.DueOrder}, {status}, {t.AllowedOutcomesJson},
                {t.FormSchemaJson}, {t.CreatedAt.UtcTicks}, {t.Version})
            """, ct);
    }

    private static async Task CompleteAsync(TaskDbContext db, string tenant, TaskCompleted c, CancellationToken ct)
    {
        var data = c.Data?.ToJsonString();
        long? completedAt = c.CompletedAt.UtcTicks;
        // Conditional on Open: the row lock (Postgres) or the write lock (SQLite) makes a second completion see 0 rows.
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE "HumanTasks"
            SET "Status" = {Completed}, "Outcome" = {c.Outcome}, "DataJson" = {data}, "CompletedAt" = {completedAt},
                "CompletedBy" = {c.CompletedBy}, "Version" = "Version" + 1
            WHERE "TenantId" = {tenant} AND "Id" = {c.TaskId} AND "Status" = {Open}
            """, ct);
        if (updated == 0)
            throw new ConcurrencyConflictException($"Task {c.TaskId} is no longer open.");
    }

    private async Task CancelAsync(TaskDbContext db, string tenant, BookmarksDiscarded d, CancellationToken ct)
    {
        long? now = clock.GetUtcNow().UtcTicks;
        // A task's bookmark key is its id; the bookmark id matches too once the runtime records it.
        foreach (var bookmark in d.Keys.Concat(d.BookmarkIds).Distinct())
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "HumanTasks"
                SET "Status" = {Cancelled}, "CancelledAt" = {now}, "Version" = "Version" + 1
                WHERE "TenantId" = {tenant} AND "InstanceId" = {d.InstanceId} AND "Status" = {Open} AND ("BookmarkKey" = {bookmark} OR "BookmarkId" = {bookmark})
                """, ct);
        }
    }

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
