using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Instances;

/// <summary>POST /elsa/api/workflow-instances/{id}/journal: the execution log in sequence order.</summary>
public static class GetJournal
{
    public sealed record Filter(
        IReadOnlyList<string>? ActivityIds, IReadOnlyList<string>? ActivityNodeIds,
        IReadOnlyList<string>? ExcludedActivityTypes, IReadOnlyList<string>? EventNames);

    public sealed record Body(Filter? Filter);

    public sealed record Query(string InstanceId, int Skip, int Take, Filter? Filter) : IRequest<PagedListResponse<JournalRecordDto>?>;

    public sealed class Handler(IWorkflowInstanceStore store) : IRequestHandler<Query, PagedListResponse<JournalRecordDto>?>
    {
        public async Task<PagedListResponse<JournalRecordDto>?> Handle(Query request, CancellationToken cancellationToken)
        {
            if (await store.FindAsync(request.InstanceId, cancellationToken) is null) return null;

            // The journal of one instance is small (tens to hundreds of rows); filtering after the read keeps
            // the store interface narrow while the order and paging still follow the sequence numbers.
            var all = await store.GetJournalAsync(request.InstanceId, 0, int.MaxValue, cancellationToken);
            var f = request.Filter;
            var filtered = all.Items.Where(r =>
                (f?.ActivityIds is not { Count: > 0 } ids || ids.Contains(r.ActivityId)) &&
                (f?.ActivityNodeIds is not { Count: > 0 } nodes || nodes.Contains(r.NodeId)) &&
                (f?.ExcludedActivityTypes is not { Count: > 0 } excluded || !excluded.Contains(r.ActivityType)) &&
                (f?.EventNames is not { Count: > 0 } events || events.Contains(r.EventName)))
                .ToList();
            var page = filtered.Skip(request.Skip).Take(request.Take).Select(JournalRecordDto.From).ToList();
            return new PagedListResponse<JournalRecordDto>(page, filtered.Count);
        }
    }
}
