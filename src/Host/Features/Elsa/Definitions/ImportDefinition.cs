using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Descriptors;
using Exit.Workflows.Definitions;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// POST /elsa/api/workflow-definitions/import (one definition file as the JSON body, or a multipart upload) and
/// POST /elsa/api/workflow-definitions/import-files (Studio's import button: several files). Every file is read
/// and validated before any is stored, so a bad file in a batch imports nothing.
/// </summary>
public static class ImportDefinition
{
    public sealed record SourceFile(string Name, string Json);

    public sealed record Command(IReadOnlyList<SourceFile> Files) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<JsonObject> Definitions, int Count);

    /// <summary>A file that cannot be imported; <see cref="Inner"/> is the format or validation exception.</summary>
    public sealed class FileRefusedException(string fileName, Exception inner) : Exception($"{fileName}: {inner.Message}", inner)
    {
        public string FileName { get; } = fileName;
        public Exception Inner { get; } = inner;
    }

    public sealed class Handler(DefinitionPublisher publisher, DefinitionValidator validator, UnknownActivityCatalog unknown)
        : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command request, CancellationToken cancellationToken)
        {
            if (request.Files.Count > 1)
            {
                foreach (var file in request.Files)
                {
                    try
                    {
                        var parsed = DefinitionJsonReader.Parse(file.Json);
                        var problems = validator.Validate(parsed);
                        if (problems.Count > 0) throw new DefinitionValidationException(parsed.DefinitionId, problems);
                    }
                    catch (Exception ex) when (ex is DefinitionFormatException or DefinitionValidationException)
                    {
                        throw new FileRefusedException(file.Name, ex);
                    }
                }
            }

            var imported = new List<JsonObject>();
            try
            {
                foreach (var file in request.Files)
                {
                    try
                    {
                        var result = await publisher.ImportAsync(file.Json, cancellationToken);
                        imported.Add(WorkflowDefinitionJson.ToResponse(result.Version));
                    }
                    catch (Exception ex) when (request.Files.Count > 1 && ex is DefinitionFormatException or DefinitionValidationException)
                    {
                        throw new FileRefusedException(file.Name, ex);
                    }
                }
            }
            finally
            {
                if (imported.Count > 0) unknown.Invalidate();
            }
            return new Response(imported, imported.Count);
        }
    }
}
