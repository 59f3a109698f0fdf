using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// POST /elsa/api/workflow-definitions/{definitionId}/publish and …/retract: publish the latest version
/// (validated first) or un-publish the published one. Both answer the changed WorkflowDefinition.
/// </summary>
public static class PublishDefinition
{
    public sealed record Publish(string DefinitionId) : IRequest<JsonObject>;

    public sealed record Retract(string DefinitionId) : IRequest<JsonObject>;

    public sealed class Handler(DefinitionPublisher publisher) : IRequestHandler<Publish, JsonObject>, IRequestHandler<Retract, JsonObject>
    {
        public async Task<JsonObject> Handle(Publish request, CancellationToken cancellationToken) =>
            WorkflowDefinitionJson.ToResponse(await publisher.PublishAsync(request.DefinitionId, cancellationToken));

        public async Task<JsonObject> Handle(Retract request, CancellationToken cancellationToken) =>
            WorkflowDefinitionJson.ToResponse(await publisher.RetractAsync(request.DefinitionId, cancellationToken));
    }
}
