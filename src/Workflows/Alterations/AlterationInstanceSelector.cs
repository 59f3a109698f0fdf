using Exit.Workflows.Persistence;

using Exit.Workflows.State;

namespace Exit.Workflows.Alterations;

/// <summary>
/// Which instances an alteration plan applies to (Elsa's AlterationWorkflowInstanceFilter): every given criterion must
/// match; an empty filter selects nothing unless <see cref="EmptyFilterSelectsAll"/>.
/// </summary>
public sealed record AlterationInstanceFilter(
    IReadOnlyList<string>? WorkflowInstanceIds,
    IReadOnlyList<string>? CorrelationIds,
    IReadOnlyList<string>? DefinitionIds,
    IReadOnlyList<string>? DefinitionVersionIds,
    IReadOnlyList<WorkflowStatus>? Statuses,
    IReadOnlyList<WorkflowSubStatus>? SubStatuses,
    bool EmptyFilterSelectsAll)
{
    public static readonly AlterationInstanceFilter Empty = new(null, null, null, null, null, null, false);

    public bool IsEmpty => WorkflowInstanceIds is null && CorrelationIds is null && DefinitionIds is null && DefinitionVersionIds is null
                           && Statuses is null && SubStatuses is null;
}

/// <summary>The running-or-not instances an alteration filter selects, read page by page from the list columns only.</summary>
public sealed class AlterationInstanceSelector(IWorkflowInstanceStore instances)
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<string>> SelectAsync(AlterationInstanceFilter filter, CancellationToken ct)
    {
        if (filter.IsEmpty && !filter.EmptyFilterSelectsAll) return [];
        var ids = filter.WorkflowInstanceIds?.ToHashSet(StringComparer.Ordinal);
        var correlations = filter.CorrelationIds?.ToHashSet(StringComparer.Ordinal);
        var versions = filter.DefinitionVersionIds?.ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        for (var page = 0; ; page++)
        {
            var found = await instances.ListAsync(new InstanceFilter(
                DefinitionIds: filter.DefinitionIds is { Count: > 0 } d ? d.ToList() : null,
                Status: filter.Statuses is [var only] ? only : null,
                Page: page, PageSize: PageSize, Descending: false), ct);
            foreach (var i in found.Items)
            {
                if (ids is not null && !ids.Contains(i.Id)) continue;
                if (correlations is not null && (i.CorrelationId is null || !correlations.Contains(i.CorrelationId))) continue;
                if (versions is not null && !versions.Contains(i.DefinitionVersionId)) continue;
                if (filter.Statuses is { } statuses && !statuses.Contains(i.Status)) continue;
                if (filter.SubStatuses is { } subStatuses && !subStatuses.Contains(i.SubStatus)) continue;
                result.Add(i.Id);
            }
            if (found.Items.Count < PageSize || (page + 1) * PageSize >= found.TotalCount) return result;
        }
    }
}
