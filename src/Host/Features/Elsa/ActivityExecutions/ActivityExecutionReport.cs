using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using MediatR;

namespace Exit.Host.Features.Elsa.ActivityExecutions;

/// <summary>
/// POST /elsa/api/activity-executions/report: the count badges on the viewer's nodes. Per node: Started and
/// Completed events in the journal, started minus completed still open, blocked while a bookmark of that node
/// exists, faulted when the node ever faulted.
/// </summary>
public static class ActivityExecutionReport
{
    public sealed record Body(string? WorkflowInstanceId, IReadOnlyList<string>? ActivityNodeIds);

    public sealed record Query(string? WorkflowInstanceId, IReadOnlyList<string>? ActivityNodeIds) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<Stats> Stats);

    public sealed record Stats(
        string ActivityId, string ActivityNodeId, int StartedCount, int CompletedCount, int UncompletedCount,
        bool IsBlocked, bool IsFaulted, JsonObject Metadata);

    public sealed class Handler(IWorkflowInstanceStore store) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(request.WorkflowInstanceId) || await store.FindAsync(request.WorkflowInstanceId, cancellationToken) is null)
                return new Response([]);
            var journal = (await store.GetJournalAsync(request.WorkflowInstanceId, 0, int.MaxValue, cancellationToken)).Items;
            var bookmarks = await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: request.WorkflowInstanceId), cancellationToken);
            var blocked = bookmarks.Select(b => b.ActivityNodeId).ToHashSet(StringComparer.Ordinal);
            var byNode = journal.GroupBy(r => r.NodeId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

            var nodeIds = request.ActivityNodeIds is { Count: > 0 } requested ? requested.Distinct() : byNode.Keys.Concat(blocked).Distinct();
            var stats = nodeIds.Select(nodeId =>
            {
                var events = byNode.GetValueOrDefault(nodeId) ?? [];
                var started = events.Count(e => e.EventName == JournalEvents.Started);
                var completed = events.Count(e => e.EventName == JournalEvents.Completed);
                var activityId = events.FirstOrDefault()?.ActivityId ?? nodeId[(nodeId.LastIndexOf(':') + 1)..];
                return new Stats(activityId, nodeId, started, completed, Math.Max(0, started - completed),
                    blocked.Contains(nodeId), events.Any(e => e.EventName == JournalEvents.Faulted), new JsonObject());
            }).ToList();
            return new Response(stats);
        }
    }
}
