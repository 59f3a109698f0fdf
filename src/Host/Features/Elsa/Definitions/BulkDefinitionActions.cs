using Exit.Host.Features.Elsa.Descriptors;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// The definition list's bulk buttons: POST /elsa/api/bulk-actions/{publish|retract}/workflow-definitions/by-definition-ids
/// and POST /elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id, each with <c>{definitionIds}</c>.
/// Definitions that cannot be published are reported with their problems, never half-published.
/// </summary>
public static class BulkDefinitionActions
{
    public sealed record Body(IReadOnlyList<string>? DefinitionIds);

    public sealed record Publish(IReadOnlyList<string> DefinitionIds) : IRequest<PublishResponse>;
    public sealed record Retract(IReadOnlyList<string> DefinitionIds) : IRequest<RetractResponse>;
    public sealed record Delete(IReadOnlyList<string> DefinitionIds) : IRequest<DeleteResponse>;

    public sealed record Refused(string DefinitionId, IReadOnlyList<ProblemItem> Problems);
    public sealed record PublishResponse(IReadOnlyList<string> Published, IReadOnlyList<string> AlreadyPublished, IReadOnlyList<string> NotFound, IReadOnlyList<Refused> Refused);
    public sealed record RetractResponse(IReadOnlyList<string> Retracted, IReadOnlyList<string> AlreadyRetracted, IReadOnlyList<string> NotFound);
    public sealed record DeleteResponse(long Deleted);

    public sealed class Handler(DefinitionPublisher publisher, IWorkflowDefinitionStore store, UnknownActivityCatalog unknown)
        : IRequestHandler<Publish, PublishResponse>, IRequestHandler<Retract, RetractResponse>, IRequestHandler<Delete, DeleteResponse>
    {
        public async Task<PublishResponse> Handle(Publish request, CancellationToken cancellationToken)
        {
            List<string> published = [], already = [], notFound = [];
            List<Refused> refused = [];
            foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
            {
                var latest = await store.FindAsync(id, VersionOptions.Latest, cancellationToken);
                if (latest is null) { notFound.Add(id); continue; }
                if (latest.IsPublished) { already.Add(id); continue; }
                try
                {
                    await publisher.PublishAsync(id, cancellationToken);
                    published.Add(id);
                }
                catch (DefinitionValidationException ex)
                {
                    refused.Add(new Refused(id, ex.Problems.Select(DefinitionErrors.ToItem).ToList()));
                }
            }
            return new PublishResponse(published, already, notFound, refused);
        }

        public async Task<RetractResponse> Handle(Retract request, CancellationToken cancellationToken)
        {
            List<string> retracted = [], already = [], notFound = [];
            foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
            {
                if (await store.FindAsync(id, VersionOptions.Latest, cancellationToken) is null) { notFound.Add(id); continue; }
                if (await store.FindAsync(id, VersionOptions.Published, cancellationToken) is null) { already.Add(id); continue; }
                await publisher.RetractAsync(id, cancellationToken);
                retracted.Add(id);
            }
            return new RetractResponse(retracted, already, notFound);
        }

        public async Task<DeleteResponse> Handle(Delete request, CancellationToken cancellationToken)
        {
            long deleted = 0;
            foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
                if (await publisher.DeleteAsync(id, cancellationToken) > 0) deleted++;
            if (deleted > 0) unknown.Invalidate();
            return new DeleteResponse(deleted);
        }
    }

    public static RouteGroupBuilder MapBulkDefinitionActions(this RouteGroupBuilder elsa)
    {
        var bulk = elsa.MapGroup("/bulk-actions").WithTags("Elsa workflow definitions");

        bulk.MapPost("/publish/workflow-definitions/by-definition-ids", async Task<Results<Ok<PublishResponse>, ValidationProblem>> ([FromBody] Body? body, IMediator mediator, CancellationToken ct) =>
            body?.DefinitionIds is { Count: > 0 } ids ? TypedResults.Ok(await mediator.Send(new Publish(ids), ct)) : MissingIds())
            .WithName("BulkPublishWorkflowDefinitions");

        bulk.MapPost("/retract/workflow-definitions/by-definition-ids", async Task<Results<Ok<RetractResponse>, ValidationProblem>> ([FromBody] Body? body, IMediator mediator, CancellationToken ct) =>
            body?.DefinitionIds is { Count: > 0 } ids ? TypedResults.Ok(await mediator.Send(new Retract(ids), ct)) : MissingIds())
            .WithName("BulkRetractWorkflowDefinitions");

        bulk.MapPost("/delete/workflow-definitions/by-definition-id", async Task<Results<Ok<DeleteResponse>, ValidationProblem>> ([FromBody] Body? body, IMediator mediator, CancellationToken ct) =>
            body?.DefinitionIds is { Count: > 0 } ids ? TypedResults.Ok(await mediator.Send(new Delete(ids), ct)) : MissingIds())
            .WithName("BulkDeleteWorkflowDefinitions");

        return elsa;
    }

    private static ValidationProblem MissingIds() =>
        ElsaProblems.BadRequest("Invalid request", "The body must be {\"definitionIds\": [\"…\"]} with at least one id.", "MissingDefinitionIds", "definitionIds");
}
