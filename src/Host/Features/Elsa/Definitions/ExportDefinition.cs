using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// GET /elsa/api/workflow-definitions/{definitionId}/export?versionOptions= : the definition file (CONTRACT §6),
/// <c>$schema</c> first, named <c>workflow-definition-{slug}-{definitionId}-{id}.json</c>.
/// </summary>
public static class ExportDefinition
{
    public sealed record Query(string DefinitionId, VersionOptions Versions) : IRequest<File?>;

    public sealed record File(string FileName, byte[] Content);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed class Handler(IWorkflowDefinitionStore store) : IRequestHandler<Query, File?>
    {
        public async Task<File?> Handle(Query request, CancellationToken cancellationToken)
        {
            var version = await store.FindAsync(request.DefinitionId, request.Versions, cancellationToken);
            if (version is null) return null;
            var document = ToFileDocument(WorkflowDefinitionJson.ToResponse(version));
            var name = $"workflow-definition-{WorkflowDefinitionJson.Slug(version.Name)}-{version.DefinitionId}-{version.Id}.json";
            return new File(name, JsonSerializer.SerializeToUtf8Bytes(document, Indented));
        }
    }

    /// <summary>The response document without links, <c>$schema</c> written first.</summary>
    public static JsonObject ToFileDocument(JsonObject response)
    {
        var file = new JsonObject { ["$schema"] = WorkflowDefinitionJson.SchemaUrl };
        foreach (var (key, value) in response)
        {
            if (key is "links" or "$schema") continue;
            file[key] = value?.DeepClone();
        }
        return file;
    }
}
