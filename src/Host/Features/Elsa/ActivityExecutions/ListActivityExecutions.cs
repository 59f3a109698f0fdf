using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.ActivityExecutions;

/// <summary>
/// GET /elsa/api/activity-executions/list and GET /elsa/api/activity-execution-summaries/list
/// (?WorkflowInstanceId=&amp;ActivityNodeId=&amp;ActivityId=&amp;Completed=): the executions of one instance, from its journal.
/// </summary>
public static class ListActivityExecutions
{
    public sealed record Query(string? WorkflowInstanceId, string? ActivityNodeId, string? ActivityId, bool? Completed)
        : IRequest<IReadOnlyList<ActivityExecutionRecordDto>>;

    public sealed class Handler(IWorkflowInstanceStore store) : IRequestHandler<Query, IReadOnlyList<ActivityExecutionRecordDto>>
    {
        public async Task<IReadOnlyList<ActivityExecutionRecordDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            // Studio polls these while the viewer is open: an unknown instance is an empty list, never a 404.
            if (string.IsNullOrEmpty(request.WorkflowInstanceId)) return [];
            var records = await Load(store, request.WorkflowInstanceId, cancellationToken);
            return records.Where(r =>
                    (string.IsNullOrEmpty(request.ActivityNodeId) || r.ActivityNodeId == request.ActivityNodeId) &&
                    (string.IsNullOrEmpty(request.ActivityId) || r.ActivityId == request.ActivityId) &&
                    (request.Completed is not { } completed || (r.CompletedAt is not null) == completed))
                .ToList();
        }
    }

    internal static async Task<IReadOnlyList<ActivityExecutionRecordDto>> Load(IWorkflowInstanceStore store, string instanceId, CancellationToken ct)
    {
        var instance = await store.FindAsync(instanceId, ct);
        if (instance is null) return [];
        var journal = await store.GetJournalAsync(instanceId, 0, int.MaxValue, ct);
        var bookmarks = await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instanceId), ct);
        return JournalProjection.Records(instance, journal.Items, bookmarks);
    }
}
