using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>GET /elsa/api/workflow-definitions/validation/is-name-unique?name=&amp;definitionId= (the create dialog).</summary>
public static class IsNameUnique
{
    public sealed record Query(string Name, string? DefinitionId) : IRequest<Response>;

    public sealed record Response(bool IsUnique);

    public sealed class Handler(IWorkflowDefinitionStore store) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var name = request.Name.Trim();
            if (name.Length == 0) return new Response(true);
            var latest = await store.ListAsync(new DefinitionFilter(Versions: VersionOptions.Latest, PageSize: int.MaxValue), cancellationToken);
            var taken = latest.Items.Any(v =>
                string.Equals(v.Name.Trim(), name, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(v.DefinitionId, request.DefinitionId, StringComparison.Ordinal));
            return new Response(!taken);
        }
    }
}
