using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Host.Infrastructure.Audit;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>/elsa/api/workflow-definitions: everything Studio's definition list and editor call (CONTRACT §3.1–§3.3, §8).</summary>
public static class DefinitionEndpoints
{
    public sealed record ListArgs(
        [FromQuery(Name = "versionOptions")] string? VersionOptions,
        [FromQuery] int? Page,
        [FromQuery] int? PageSize,
        [FromQuery] string? SearchTerm,
        [FromQuery] bool? IsSystem,
        [FromQuery] string? OrderBy,
        [FromQuery] string? OrderDirection,
        [FromQuery] string[]? DefinitionIds,
        [FromQuery] string[]? Ids);

    public static RouteGroupBuilder MapDefinitionEndpoints(this RouteGroupBuilder elsa)
    {
        var definitions = elsa.MapGroup("/workflow-definitions").WithTags("Elsa workflow definitions");

        definitions.MapGet("/", async Task<Results<Ok<PagedDefinitionsResponse>, ValidationProblem>> ([AsParameters] ListArgs args, IMediator mediator, CancellationToken ct) =>
        {
            // Absent means the latest versions; present but empty means any version (the instance list looks
            // rows up by version id that way, CONTRACT §7.8).
            if (!TryParseVersions(args.VersionOptions, VersionOptions.Latest, out var versions, out var problem)) return problem;
            var descending = string.Equals(args.OrderDirection, "Descending", StringComparison.OrdinalIgnoreCase);
            return TypedResults.Ok(await mediator.Send(new ListDefinitions.Query(
                versions, args.Page, args.PageSize, args.SearchTerm, args.IsSystem, args.OrderBy, descending, args.DefinitionIds, args.Ids), ct));
        }).WithName("ListWorkflowDefinitions");

        definitions.MapGet("/by-definition-id/{definitionId}", async Task<Results<Ok<JsonObject>, NotFound, ValidationProblem>> (
            string definitionId, [FromQuery(Name = "versionOptions")] string? versionOptions, IMediator mediator, CancellationToken ct) =>
        {
            if (!TryParseVersions(versionOptions, VersionOptions.Latest, out var versions, out var problem)) return problem;
            return await mediator.Send(new GetDefinition.ByDefinitionId(definitionId, versions), ct) is { } json ? TypedResults.Ok(json) : TypedResults.NotFound();
        }).WithName("GetWorkflowDefinitionByDefinitionId");

        definitions.MapGet("/by-id/{versionId}", async Task<Results<Ok<JsonObject>, NotFound>> (string versionId, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new GetDefinition.ByVersionId(versionId), ct) is { } json ? TypedResults.Ok(json) : TypedResults.NotFound())
            .WithName("GetWorkflowDefinitionById");

        definitions.MapGet("/validation/is-name-unique", async Task<Ok<IsNameUnique.Response>> (
            [FromQuery] string? name, [FromQuery] string? definitionId, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new IsNameUnique.Query(name ?? "", definitionId), ct)))
            .WithName("IsWorkflowDefinitionNameUnique");

        definitions.MapGet("/{definitionId}/export", async Task<Results<FileContentHttpResult, NotFound, ValidationProblem>> (
            string definitionId, [FromQuery(Name = "versionOptions")] string? versionOptions, IMediator mediator, CancellationToken ct) =>
        {
            if (!TryParseVersions(versionOptions, VersionOptions.Latest, out var versions, out var problem)) return problem;
            return await mediator.Send(new ExportDefinition.Query(definitionId, versions), ct) is { } file
                ? TypedResults.File(file.Content, "application/json", file.FileName)
                : TypedResults.NotFound();
        }).WithName("ExportWorkflowDefinition");

        definitions.MapPost("/{definitionId}/execute", async Task<Results<Ok<ExecuteDefinition.Response>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>, ValidationProblem, ProblemHttpResult>> (
            string definitionId, [FromBody] ExecuteDefinition.Body? body, HttpResponse response, IMediator mediator, [FromServices] IAuditLog audit,
            [FromServices] IIdGenerator ids, [FromServices] TimeProvider clock, CancellationToken ct) =>
        {
            if (!TryParseVersions(body?.VersionOptions, VersionOptions.Published, out var versions, out var problem)) return problem;
            if (body?.Input is not (null or JsonObject))
                return ElsaProblems.BadRequest("Invalid input", "The workflow input must be a JSON object.", "InvalidInput", "input");
            // Who ran which definition, and the instance it made (or why it was refused): the run may touch citizen data.
            // A run's entry is written in the new instance's own commit (one transaction, stored exactly when the instance
            // is), so the instance id is chosen here; written on its own only if that commit did not take it.
            var purpose = $"workflow administration: run {definitionId}";
            var instanceId = ids.NewId();
            var started = new AuditRecord(AuditAction.Change, ElsaInstanceAuditFilter.ResourceType, instanceId, Purpose: purpose);
            var inCommit = new AuditInCommit(AuditLog.CreateEntry(started, response.HttpContext.User, response.HttpContext, clock.GetUtcNow()));
            var outcome = await mediator.Send(new ExecuteDefinition.Command(definitionId, versions, body?.CorrelationId, body?.Input as JsonObject,
                instanceId, [inCommit]), ct);
            switch (outcome)
            {
                case ExecuteDefinition.Started run:
                    response.Headers[ExecuteDefinition.InstanceIdHeader] = run.Response.WorkflowInstanceId;
                    if (!inCommit.Written || run.Response.WorkflowInstanceId != instanceId)
                        await audit.WriteAsync(started with { ResourceId = run.Response.WorkflowInstanceId }, ct: CancellationToken.None);
                    return TypedResults.Ok(run.Response);
                case ExecuteDefinition.NotFound notFound:
                    response.Headers[ExecuteDefinition.CannotStartHeader] = "true";
                    return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Workflow definition not found", Detail = notFound.Detail });
                case ExecuteDefinition.CannotStart cannot:
                    response.Headers[ExecuteDefinition.CannotStartHeader] = "true";
                    return TypedResults.BadRequest(new ProblemDetails { Status = 400, Title = "Workflow cannot start", Detail = cannot.Detail });
                case ExecuteDefinition.Conflict conflict:
                    response.Headers[ExecuteDefinition.CannotStartHeader] = "true";
                    await audit.WriteAsync(new AuditRecord(AuditAction.Change, ElsaInstanceAuditFilter.ResourceType, null,
                        Purpose: $"{purpose} (refused: {conflict.Field})", Outcome: AuditOutcome.Denied), ct: CancellationToken.None);
                    return TypedResults.Problem(conflict.Detail, statusCode: StatusCodes.Status409Conflict, title: "Workflow cannot start",
                        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [conflict.Field] = [conflict.Detail] } });
                default:
                    throw new InvalidOperationException($"Unexpected execute outcome {outcome.GetType().Name}.");
            }
        }).WithName("ExecuteWorkflowDefinition");

        definitions.MapPost("/", async Task<Results<Ok<SaveDefinition.Response>, NotFound<ProblemDetails>, ValidationProblem>> (HttpRequest request, IMediator mediator, CancellationToken ct) =>
        {
            // Read by hand so a malformed body gets a problem naming the line and position, not an empty 400.
            var body = await SaveDefinition.ReadBodyAsync(request.Body, ct);
            if (body.Error is { } error) return error;
            return await Run(() => mediator.Send(new SaveDefinition.Command(body.Model!, body.Publish), ct));
        }).WithName("SaveWorkflowDefinition");

        definitions.MapPost("/{definitionId}/publish", (string definitionId, IMediator mediator, CancellationToken ct) =>
            Run(() => mediator.Send(new PublishDefinition.Publish(definitionId), ct)))
            .WithName("PublishWorkflowDefinition");

        definitions.MapPost("/{definitionId}/retract", async Task<Results<Ok<JsonObject>, NotFound<ProblemDetails>, ValidationProblem>> (string definitionId, IMediator mediator, CancellationToken ct) =>
        {
            try
            {
                return await Run(() => mediator.Send(new PublishDefinition.Retract(definitionId), ct));
            }
            catch (InvalidOperationException ex)
            {
                return ElsaProblems.BadRequest("Nothing to retract", ex.Message, "NotPublished", "definitionId");
            }
        }).WithName("RetractWorkflowDefinition");

        definitions.MapPost("/{definitionId}/revert/{version:int}", async Task<Results<Ok<JsonObject>, NotFound<ProblemDetails>, ValidationProblem>> (
            string definitionId, int version, IMediator mediator, CancellationToken ct) =>
        {
            var result = await Run(() => mediator.Send(new RevertDefinition.Command(definitionId, version), ct));
            return result.Result switch
            {
                Ok<JsonObject?> { Value: { } json } => TypedResults.Ok(json),
                Ok<JsonObject?> => TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Version not found", Detail = $"Workflow definition '{definitionId}' has no version {version}." }),
                NotFound<ProblemDetails> notFound => notFound,
                ValidationProblem problem => problem,
                _ => throw new InvalidOperationException("Unexpected revert result."),
            };
        }).WithName("RevertWorkflowDefinitionVersion");

        definitions.MapDelete("/{definitionId}", async Task<Results<NoContent, NotFound>> (string definitionId, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new DeleteDefinition.Command(definitionId), ct) > 0 ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("DeleteWorkflowDefinition");

        definitions.MapPost("/import", async Task<Results<Ok<JsonObject>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> (
            HttpRequest request, IMediator mediator, [FromServices] ImportLimits limits, CancellationToken ct) =>
        {
            IReadOnlyList<ImportDefinition.SourceFile> files;
            try
            {
                files = await ImportSources.ReadAsync(request, limits, ct);
            }
            catch (ImportRefusedException ex)
            {
                return Refused(ex);
            }
            if (files.Count != 1)
                return ElsaProblems.BadRequest("Invalid import", files.Count == 0
                    ? "Send one workflow definition file, as the JSON body or as a multipart file."
                    : "Send one file here; use /workflow-definitions/import-files for several.", "FileCount", "file");
            var imported = await Run(() => mediator.Send(new ImportDefinition.Command(files), ct));
            return imported.Result switch
            {
                Ok<ImportDefinition.Response> ok => TypedResults.Ok(ok.Value!.Definitions[0]),
                NotFound<ProblemDetails> notFound => notFound,
                ValidationProblem problem => problem,
                _ => throw new InvalidOperationException("Unexpected import result."),
            };
        }).WithName("ImportWorkflowDefinition").DisableAntiforgery();

        definitions.MapPost("/import-files", async Task<Results<Ok<ImportDefinition.Response>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> (
            HttpRequest request, IMediator mediator, [FromServices] ImportLimits limits, CancellationToken ct) =>
        {
            IReadOnlyList<ImportDefinition.SourceFile> files;
            try
            {
                files = await ImportSources.ReadAsync(request, limits, ct);
            }
            catch (ImportRefusedException ex)
            {
                return Refused(ex);
            }
            if (files.Count == 0)
                return ElsaProblems.BadRequest("Invalid import", "No workflow definition files were sent.", "FileCount", "files");
            return (await Run(() => mediator.Send(new ImportDefinition.Command(files), ct))).Result switch
            {
                Ok<ImportDefinition.Response> ok => ok,
                NotFound<ProblemDetails> notFound => notFound,
                ValidationProblem problem => problem,
                _ => throw new InvalidOperationException("Unexpected import result."),
            };
        }).WithName("ImportWorkflowDefinitionFiles").DisableAntiforgery();

        return elsa;
    }

    /// <summary>An import over the caps (413) or an unreadable upload (400), naming the file under <c>errors</c>.</summary>
    private static ProblemHttpResult Refused(ImportRefusedException ex) =>
        TypedResults.Problem(ex.Message, statusCode: ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
            title: "Invalid import", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [ex.FileName] = [ex.Message] } });

    /// <summary>Runs a definition command, turning the definition services' refusals into 400/404 problems.</summary>
    private static async Task<Results<Ok<T>, NotFound<ProblemDetails>, ValidationProblem>> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (DefinitionValidationException ex)
        {
            return DefinitionErrors.Validation(ex);
        }
        catch (DefinitionFormatException ex)
        {
            return DefinitionErrors.Format(ex);
        }
        catch (DefinitionSaveRefusedException ex)
        {
            return DefinitionErrors.SaveRefused(ex);
        }
        catch (ImportDefinition.FileRefusedException ex)
        {
            return ex.Inner switch
            {
                DefinitionFormatException format => DefinitionErrors.Format(format, ex.FileName),
                DefinitionValidationException validation => DefinitionErrors.Validation(validation, $"{ex.FileName} has problems; nothing was imported"),
                _ => ElsaProblems.BadRequest("Invalid import", ex.Message, "ImportRefused", ex.FileName),
            };
        }
        catch (DefinitionNotFoundException ex)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Workflow definition not found", Detail = ex.Message });
        }
    }

    internal static bool TryParseVersions(string? text, VersionOptions whenMissing, out VersionOptions versions, out ValidationProblem problem)
    {
        problem = null!;
        if (text is null)
        {
            versions = whenMissing;
            return true;
        }
        try
        {
            versions = VersionOptions.Parse(text);
            return true;
        }
        catch (FormatException ex)
        {
            versions = whenMissing;
            problem = ElsaProblems.BadRequest("Invalid versionOptions", ex.Message +
                " Use Latest, Published, LatestOrPublished, LatestAndPublished, Draft, AllVersions or a version number.", "InvalidVersionOptions", "versionOptions");
            return false;
        }
    }
}
