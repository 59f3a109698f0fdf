using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Instances;

/// <summary>GET /elsa/api/workflow-instances/{id}: status, sub-status, bookmarks and incidents.</summary>
public static class GetInstance
{
    public sealed record Query(string InstanceId) : IRequest<WorkflowInstanceDto?>;

    public sealed class Handler(IWorkflowInstanceStore store) : IRequestHandler<Query, WorkflowInstanceDto?>
    {
        public async Task<WorkflowInstanceDto?> Handle(Query request, CancellationToken cancellationToken)
        {
            var instance = await store.FindAsync(request.InstanceId, cancellationToken);
            if (instance is null) return null;
            var bookmarks = await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), cancellationToken);
            return WorkflowInstanceDto.From(instance, bookmarks);
        }
    }
}
