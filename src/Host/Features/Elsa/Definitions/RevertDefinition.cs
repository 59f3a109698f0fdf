using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Descriptors;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// POST /elsa/api/workflow-definitions/{definitionId}/revert/{version} (the version-history tab's "Rollback"):
/// saves the content of an older version as the latest draft, through the same save rules (a new draft over a
/// published latest; the data-loss guard applies). Answers the new latest WorkflowDefinition, or null when the
/// version does not exist.
/// </summary>
public static class RevertDefinition
{
    public sealed record Command(string DefinitionId, int Version) : IRequest<JsonObject?>;

    public sealed class Handler(IWorkflowDefinitionStore store, DefinitionPublisher publisher, UnknownActivityCatalog unknown)
        : IRequestHandler<Command, JsonObject?>
    {
        public async Task<JsonObject?> Handle(Command request, CancellationToken cancellationToken)
        {
            var old = await store.FindAsync(request.DefinitionId, new VersionOptions(VersionSelector.Specific, request.Version), cancellationToken);
            if (old is null) return null;
            var model = old.Json.DeepClone().AsObject();
            model["definitionId"] = old.DefinitionId;
            model.Remove("id");
            var result = await publisher.SaveAsync(model, publish: false, cancellationToken);
            if (result.Change != DefinitionChange.Unchanged) unknown.Invalidate();
            return WorkflowDefinitionJson.ToResponse(result.Version);
        }
    }
}
