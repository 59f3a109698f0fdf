using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// GET /elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions= (the editor's first call)
/// and GET /elsa/api/workflow-definitions/by-id/{versionId} (the instance viewer's).
/// </summary>
public static class GetDefinition
{
    public sealed record ByDefinitionId(string DefinitionId, VersionOptions Versions) : IRequest<JsonObject?>;

    public sealed record ByVersionId(string VersionId) : IRequest<JsonObject?>;

    public sealed class Handler(IWorkflowDefinitionStore store) : IRequestHandler<ByDefinitionId, JsonObject?>, IRequestHandler<ByVersionId, JsonObject?>
    {
        public async Task<JsonObject?> Handle(ByDefinitionId request, CancellationToken cancellationToken) =>
            await store.FindAsync(request.DefinitionId, request.Versions, cancellationToken) is { } v ? WorkflowDefinitionJson.ToResponse(v) : null;

        public async Task<JsonObject?> Handle(ByVersionId request, CancellationToken cancellationToken) =>
            await store.FindByIdAsync(request.VersionId, cancellationToken) is { } v ? WorkflowDefinitionJson.ToResponse(v) : null;
    }
}
