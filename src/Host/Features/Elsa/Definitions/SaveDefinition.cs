using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Descriptors;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// POST /elsa/api/workflow-definitions with <c>{model, publish}</c>: Studio's create, auto-save, Save and Publish.
/// The publisher assigns ids and versions, normalises the model (nulls, nodeIds) and refuses a save that would
/// lose stored activities; publishing validates first and stores nothing when there are problems.
/// </summary>
public static class SaveDefinition
{
    /// <summary>The request body: <c>model</c> (a workflow definition) and <c>publish</c> (true, false or null).</summary>
    public sealed record Body(JsonObject? Model, bool Publish, Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? Error);

    public static async Task<Body> ReadBodyAsync(Stream stream, CancellationToken ct)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(stream, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return new Body(null, false, DefinitionErrors.Format(new DefinitionFormatException(
                $"The request body is not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}.", ex.LineNumber + 1, ex.BytePositionInLine + 1, ex.Path, ex)));
        }
        if (node is not JsonObject { } body || body["model"] is not JsonObject model)
            return new Body(null, false, ElsaProblems.BadRequest("Invalid request",
                "The body must be {\"model\": <workflow definition object>, \"publish\": true|false}.", "MissingModel", "model"));
        var publish = body["publish"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
        return new Body(model, publish, null);
    }

    public sealed record Command(JsonObject Model, bool Publish) : IRequest<Response>;

    /// <summary>Elsa's SaveWorkflowDefinitionResponse, plus the draft's validation problems for clients that want them.</summary>
    public sealed record Response(JsonObject WorkflowDefinition, bool AlreadyPublished, int ConsumingWorkflowCount, IReadOnlyList<ProblemItem> Problems);

    public sealed class Handler(DefinitionPublisher publisher, UnknownActivityCatalog unknown) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command request, CancellationToken cancellationToken)
        {
            var result = await publisher.SaveAsync(request.Model, request.Publish, cancellationToken);
            if (result.Change != DefinitionChange.Unchanged) unknown.Invalidate();
            return new Response(
                WorkflowDefinitionJson.ToResponse(result.Version),
                AlreadyPublished: request.Publish && result.Change == DefinitionChange.Unchanged,
                ConsumingWorkflowCount: 0,
                result.Problems.Select(DefinitionErrors.ToItem).ToList());
        }
    }
}
