using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// GET /elsa/api/workflow-definitions: paged summaries for the Studio list, its "Published" column, the
/// version-history tab and the instance list's version look-up (an empty versionOptions means any version).
/// </summary>
public static class ListDefinitions
{
    public sealed record Query(
        VersionOptions Versions, int? Page, int? PageSize, string? SearchTerm, bool? IsSystem, string? OrderBy,
        bool Descending, IReadOnlyCollection<string>? DefinitionIds, IReadOnlyCollection<string>? Ids) : IRequest<PagedDefinitionsResponse>;

    public sealed class Handler(IWorkflowDefinitionStore store) : IRequestHandler<Query, PagedDefinitionsResponse>
    {
        public async Task<PagedDefinitionsResponse> Handle(Query request, CancellationToken cancellationToken)
        {
            // Definitions number in the hundreds at most; reading the filtered set once lets us order by any
            // column Studio asks for (the store filter knows no OrderBy) and page afterwards.
            var all = await store.ListAsync(new DefinitionFilter(
                Versions: request.Versions,
                SearchTerm: string.IsNullOrWhiteSpace(request.SearchTerm) ? null : request.SearchTerm.Trim(),
                DefinitionIds: request.DefinitionIds is { Count: > 0 } d ? d : null,
                Ids: request.Ids is { Count: > 0 } i ? i : null,
                Page: 0,
                PageSize: int.MaxValue), cancellationToken);

            IEnumerable<WorkflowDefinitionVersion> rows = all.Items;
            if (request.IsSystem is { } system) rows = rows.Where(v => IsSystem(v) == system);
            rows = Order(rows, request.OrderBy, request.Descending);
            var list = rows.ToList();
            IEnumerable<WorkflowDefinitionVersion> page = list;
            if (request.PageSize is > 0 and var size)
                page = list.Skip(Math.Max(0, request.Page ?? 0) * size).Take(size);
            return new PagedDefinitionsResponse(page.Select(DefinitionSummaryDto.From).ToList(), list.Count, PagedDefinitionsResponse.ListLinks);
        }

        private static bool IsSystem(WorkflowDefinitionVersion v) =>
            v.Json["isSystem"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<bool>(out var b) && b;

        private static IEnumerable<WorkflowDefinitionVersion> Order(IEnumerable<WorkflowDefinitionVersion> rows, string? orderBy, bool descending)
        {
            IOrderedEnumerable<WorkflowDefinitionVersion> ordered = orderBy?.Trim().ToLowerInvariant() switch
            {
                "version" => descending ? rows.OrderByDescending(v => v.Version) : rows.OrderBy(v => v.Version),
                "created" or "createdat" => descending ? rows.OrderByDescending(v => v.CreatedAt) : rows.OrderBy(v => v.CreatedAt),
                _ => descending
                    ? rows.OrderByDescending(v => v.Name, StringComparer.OrdinalIgnoreCase)
                    : rows.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase),
            };
            return ordered.ThenBy(v => v.DefinitionId, StringComparer.Ordinal).ThenByDescending(v => v.Version);
        }
    }
}
