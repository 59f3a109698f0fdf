using System.Text.Json;
using Exit.Workflows.Persistence;
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

        await using var db = await contexts.CreateEnlistedAsync(context, cancellationToken);
        var pendingInserts = false;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case TaskCreated c:
                    db.Tasks.Add(ToRecord(c));
                    pendingInserts = true;
                    break;
                case TaskCompleted c:
                    pendingInserts = await FlushAsync(db, pendingInserts, cancellationToken);
                    await CompleteAsync(db, c, cancellationToken);
                    break;
                case BookmarksDiscarded d:
                    // Effects apply in order: a task created and discarded in the same burst ends up cancelled.
                    pendingInserts = await FlushAsync(db, pendingInserts, cancellationToken);
                    await CancelAsync(db, d, cancellationToken);
                    break;
            }
        }

        await FlushAsync(db, pendingInserts, cancellationToken);
    }

    private static async Task<bool> FlushAsync(TaskDbContext db, bool pendingInserts, CancellationToken ct)
    {
        if (pendingInserts)
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        return false;
    }

    private static async Task CompleteAsync(TaskDbContext db, TaskCompleted c, CancellationToken ct)
    {
        var data = c.Data?.ToJsonString();
        // Conditional on Open: the row lock (Postgres) or the write lock (SQLite) makes a second completion see 0 rows.
        var updated = await db.Tasks
            .Where(t => t.Id == c.TaskId && t.Status == HumanTaskStatus.Open)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, HumanTaskStatus.Completed)
                .SetProperty(t => t.Outcome, c.Outcome)
                .SetProperty(t => t.DataJson, data)
                .SetProperty(t => t.CompletedAt, c.CompletedAt)
                .SetProperty(t => t.CompletedBy, c.CompletedBy)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
        if (updated == 0)
            throw new ConcurrencyConflictException($"Task {c.TaskId} is no longer open.");
    }

    private async Task CancelAsync(TaskDbContext db, BookmarksDiscarded d, CancellationToken ct)
    {
        if (d.BookmarkIds.Count == 0) return;
        var ids = d.BookmarkIds.ToList();
        DateTimeOffset? now = clock.GetUtcNow();
        // A task's bookmark key is its id; match the bookmark id too once the runtime records it.
        await db.Tasks
            .Where(t => t.InstanceId == d.InstanceId && t.Status == HumanTaskStatus.Open
                        && (ids.Contains(t.BookmarkKey) || (t.BookmarkId != null && ids.Contains(t.BookmarkId))))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, HumanTaskStatus.Cancelled)
                .SetProperty(t => t.CancelledAt, now)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }

    internal static TaskRecord ToRecord(TaskCreated c) => new()
    {
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
