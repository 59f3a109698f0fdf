using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
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

    public sealed class Handler(IWorkflowDefinitionStore store) : IRequestHandler<Query, File?>
    {
        public async Task<File?> Handle(Query request, CancellationToken cancellationToken)
        {
            var version = await store.FindAsync(request.DefinitionId, request.Versions, cancellationToken);
            if (version is null) return null;
            var document = ToFileDocument(WorkflowDefinitionJson.ToResponse(version));
            var name = $"workflow-definition-{WorkflowDefinitionJson.Slug(version.Name)}-{version.DefinitionId}-{version.Id}.json";
            return new File(name, System.Text.Encoding.UTF8.GetBytes(DefinitionJsonWriter.Export(document)));
        }
    }

    /// <summary>The response document without its links (the export writer puts <c>$schema</c> first).</summary>
    public static JsonObject ToFileDocument(JsonObject response)
    {
        response.Remove("links");
        return response;
    }
}
