using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.ActivityExecutions;

/// <summary>GET /elsa/api/activity-executions/by-id?id= : one record, by the id the list gave out.</summary>
public static class GetActivityExecution
{
    public sealed record Query(string Id) : IRequest<ActivityExecutionRecordDto?>;

    public sealed class Handler(IWorkflowInstanceStore store) : IRequestHandler<Query, ActivityExecutionRecordDto?>
    {
        public async Task<ActivityExecutionRecordDto?> Handle(Query request, CancellationToken cancellationToken)
        {
            if (JournalProjection.ParseRecordId(request.Id) is not var (instanceId, _)) return null;
            var records = await ListActivityExecutions.Load(store, instanceId, cancellationToken);
            return records.FirstOrDefault(r => r.Id == request.Id);
        }
    }
}
