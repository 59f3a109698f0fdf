using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// List filter. <see cref="Overdue"/> true means open and due before now; false means everything else.
/// <see cref="Page"/> is zero-based. The total is counted up to <see cref="CountLimit"/> matches (null: exactly),
/// because counting is the only part of a list that grows with the number of matches.
/// </summary>
public sealed record TaskFilter(
    string? Assignee = null,
    string? Role = null,
    HumanTaskStatus? Status = null,
    bool? Overdue = null,
    string? CorrelationId = null,
    int Page = 0,
    int PageSize = 50,
    int? CountLimit = TaskFilter.DefaultCountLimit)
{
    public const int MaxPageSize = 500;
    public const int DefaultCountLimit = 1000;
}

/// <summary>
/// One page of tasks. <see cref="TotalCount"/> is exact unless <see cref="TotalCountIsLowerBound"/>: then at
/// least that many match (the count stopped at the filter's limit).
/// </summary>
public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, int TotalCount, bool TotalCountIsLowerBound);

/// <summary>A list row: header columns only, never instructions, form or data.</summary>
public sealed record TaskSummary(
    string Id,
    string Title,
    string? Kind,
    string? Assignee,
    string? Role,
    string? CorrelationId,
    string InstanceId,
    DateTimeOffset? DueAt,
    HumanTaskStatus Status,
    bool IsOverdue,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

public sealed record TaskAssignmentView(string? From, string? To, DateTimeOffset At, string? By);

public sealed record TaskDetails(
    string Id,
    string Title,
    string? Instructions,
    string? Kind,
    string? Assignee,
    string? Role,
    string? CorrelationId,
    string InstanceId,
    string ActivityInstanceId,
    string ActivityId,
    DateTimeOffset? DueAt,
    HumanTaskStatus Status,
    bool IsOverdue,
    IReadOnlyList<string> AllowedOutcomes,
    JsonNode? FormSchema,
    string? Outcome,
    JsonNode? Data,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? CompletedBy,
    DateTimeOffset? CancelledAt,
    IReadOnlyList<TaskAssignmentView> Assignments);

/// <summary>Read side of the task store: projections, no tracking.</summary>
public sealed class TaskQueries(TaskDbContextFactory contexts, TimeProvider clock)
{
    public async Task<TaskPage> ListAsync(TaskFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        await using var db = contexts.Create();
        var query = db.Tasks.AsNoTracking();

        if (filter.Assignee is { } assignee) query = query.Where(t => t.Assignee == assignee);
        if (filter.Role is { } role) query = query.Where(t => t.Role == role);
        if (filter.CorrelationId is { } correlationId) query = query.Where(t => t.CorrelationId == correlationId);
        if (filter.Status is { } status) query = query.Where(t => t.Status == status);
        query = filter.Overdue switch
        {
            true => query.Where(t => t.Status == HumanTaskStatus.Open && t.DueOrder < now),
            false => query.Where(t => t.Status != HumanTaskStatus.Open || t.DueOrder >= now),
            null => query,
        };

        int total;
        var lowerBound = false;
        if (filter.CountLimit is { } limit)
        {
            total = await query.Take(limit + 1).CountAsync(ct);
            if (total > limit) (total, lowerBound) = (limit, true);
        }
        else
        {
            total = await query.CountAsync(ct);
        }

        // DueOrder puts undated tasks last on both providers (SQLite and Postgres sort NULL differently).
        var ordered = query.OrderBy(t => t.DueOrder).ThenBy(t => t.Id);

        var pageSize = Math.Clamp(filter.PageSize, 1, TaskFilter.MaxPageSize);
        var items = await ordered
            .Skip(Math.Max(0, filter.Page) * pageSize)
            .Take(pageSize)
            .Select(t => new TaskSummary(
                t.Id, t.Title, t.Kind, t.Assignee, t.Role, t.CorrelationId, t.InstanceId, t.DueAt, t.Status,
                t.Status == HumanTaskStatus.Open && t.DueOrder < now,
                t.CreatedAt, t.CompletedAt))
            .ToListAsync(ct);

        return new TaskPage(items, total, lowerBound);
    }

    public async Task<TaskDetails?> GetAsync(string taskId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var t = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(x => x.Id == taskId, ct);
        if (t is null) return null;

        var assignments = await db.Assignments.AsNoTracking()
            .Where(a => a.TaskId == taskId)
            .OrderBy(a => a.Id)
            .Select(a => new TaskAssignmentView(a.FromAssignee, a.ToAssignee, a.At, a.By))
            .ToListAsync(ct);

        var now = clock.GetUtcNow();
        return new TaskDetails(
            t.Id, t.Title, t.Instructions, t.Kind, t.Assignee, t.Role, t.CorrelationId, t.InstanceId,
            t.ActivityInstanceId, t.ActivityId, t.DueAt, t.Status,
            t.Status == HumanTaskStatus.Open && t.DueAt < now,
            AllowedOutcomes(t.AllowedOutcomesJson),
            Parse(t.FormSchemaJson), t.Outcome, Parse(t.DataJson),
            t.CreatedAt, t.CompletedAt, t.CompletedBy, t.CancelledAt, assignments);
    }

    internal static IReadOnlyList<string> AllowedOutcomes(string json) =>
        JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
