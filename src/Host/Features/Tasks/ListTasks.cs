using System.Globalization;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure;
using MediatR;

namespace Exit.Host.Features.Tasks;

/// <summary>GET /api/tasks: filtered, paged, ordered by due date (undated last), then id.</summary>
public static class ListTasks
{
    public const int MaxFilterLength = 256;

    /// <summary>Raw query-string values; the validator names every one that does not parse.</summary>
    public sealed record Query(
        string? Assignee, string? Role, string? Status, string? Overdue, string? CorrelationId, string? Page, string? PageSize)
        : IRequest<TaskListResponse>;

    /// <summary>A page of tasks; <c>totalCountIsLowerBound</c> means "at least totalCount" (counting stops at 1,000).</summary>
    public sealed record TaskListResponse(IReadOnlyList<TaskSummary> Items, int TotalCount, bool TotalCountIsLowerBound, int Page, int PageSize);

    public sealed class Validator : IRequestValidator<Query>
    {
        public IEnumerable<ValidationFailure> Validate(Query q)
        {
            if (q.Status is not null && !TryStatus(q.Status, out _))
                yield return new("status", $"'{q.Status}' is not a status; use one of: {string.Join(", ", Enum.GetNames<HumanTaskStatus>())}.");
            if (q.Overdue is not null && !bool.TryParse(q.Overdue, out _))
                yield return new("overdue", "Use true or false.");
            if (q.Page is not null && (!TryInt(q.Page, out var page) || page < 0))
                yield return new("page", "A whole number, 0 or more (pages count from 0).");
            if (q.PageSize is not null && (!TryInt(q.PageSize, out var size) || size is < 1 or > TaskFilter.MaxPageSize))
                yield return new("pageSize", $"A whole number from 1 to {TaskFilter.MaxPageSize}.");
            foreach (var (field, value) in new[] { ("assignee", q.Assignee), ("role", q.Role), ("correlationId", q.CorrelationId) })
            {
                if (value is not null && (value.Length == 0 || value.Length > MaxFilterLength))
                    yield return new(field, $"From 1 to {MaxFilterLength} characters.");
            }
        }
    }

    public sealed class Handler(TaskQueries queries) : IRequestHandler<Query, TaskListResponse>
    {
        public async Task<TaskListResponse> Handle(Query q, CancellationToken cancellationToken)
        {
            var filter = new TaskFilter(
                Assignee: q.Assignee,
                Role: q.Role,
                Status: q.Status is null ? null : TryStatus(q.Status, out var s) ? s : null,
                Overdue: q.Overdue is null ? null : bool.Parse(q.Overdue),
                CorrelationId: q.CorrelationId,
                Page: q.Page is null ? 0 : int.Parse(q.Page, CultureInfo.InvariantCulture),
                PageSize: q.PageSize is null ? 50 : int.Parse(q.PageSize, CultureInfo.InvariantCulture));
            var page = await queries.ListAsync(filter, cancellationToken);
            return new TaskListResponse(page.Items, page.TotalCount, page.TotalCountIsLowerBound, filter.Page, filter.PageSize);
        }
    }

    private static bool TryStatus(string text, out HumanTaskStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
