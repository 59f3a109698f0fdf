using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.Instances;

public static class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstanceEndpoints(this RouteGroupBuilder elsa)
    {
        elsa.MapGet("/workflow-instances/{id}", async Task<Results<Ok<WorkflowInstanceDto>, NotFound>> (string id, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new GetInstance.Query(id), ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound())
            .WithName("GetWorkflowInstance");

        elsa.MapPost("/workflow-instances/{id}/journal", async Task<Results<Ok<PagedListResponse<JournalRecordDto>>, NotFound>> (
                string id, [FromQuery] int? skip, [FromQuery] int? take, [FromBody] GetJournal.Body? body, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new GetJournal.Query(id, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 100, 1, 1000), body?.Filter), ct) is { } page
                ? TypedResults.Ok(page) : TypedResults.NotFound())
            .WithName("GetWorkflowInstanceJournal");

        elsa.MapGet("/workflow-instances/{id}/variables", async Task<Results<Ok<ListResponse<GetVariables.VariableDto>>, NotFound>> (string id, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new GetVariables.Query(id), ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound())
            .WithName("GetWorkflowInstanceVariables");

        elsa.MapPost("/cancel/workflow-instances/{id}", async Task<Results<Ok, NotFound>> (string id, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new CancelInstance.Command(id), ct) is null ? TypedResults.NotFound() : TypedResults.Ok())
            .WithName("CancelWorkflowInstance");

        elsa.MapGet("/workflow-instances/{id}/execution-state", async Task<Results<Ok<ExecutionStateDto>, NotFound>> (string id, IWorkflowInstanceStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } i
                ? TypedResults.Ok(new ExecutionStateDto(i.Status.ToString(), i.SubStatus.ToString(), i.UpdatedAt))
                : TypedResults.NotFound());

        elsa.MapPost("/workflow-instances", async (ListInstancesBody? body, IWorkflowInstanceStore store, CancellationToken ct) =>
        {
            body ??= new ListInstancesBody();
            var page = await store.ListAsync(new InstanceFilter(
                DefinitionId: body.DefinitionId,
                DefinitionIds: body.DefinitionIds is { Count: > 0 } ids ? ids : null,
                CorrelationId: body.CorrelationId,
                Status: Enum.TryParse<WorkflowStatus>(body.Status, true, out var s) ? s : null,
                SubStatus: Enum.TryParse<WorkflowSubStatus>(body.SubStatus, true, out var ss) ? ss : null,
                SearchTerm: string.IsNullOrWhiteSpace(body.SearchTerm) ? null : body.SearchTerm,
                Page: Math.Max(0, body.Page ?? 0),
                PageSize: Math.Clamp(body.PageSize ?? 10, 1, 500),
                Descending: !string.Equals(body.OrderDirection, "Ascending", StringComparison.OrdinalIgnoreCase)), ct);
            return TypedResults.Ok(new PagedListResponse<WorkflowInstanceSummaryDto>(
                page.Items.Select(WorkflowInstanceSummaryDto.From).ToList(), page.TotalCount));
        }).WithName("ListWorkflowInstances");

        return elsa;
    }

    public sealed record ExecutionStateDto(string Status, string WorkflowSubStatus, DateTimeOffset UpdatedAt);

    public sealed record ListInstancesBody(
        int? Page = null, int? PageSize = null, string? SearchTerm = null, string? DefinitionId = null,
        IReadOnlyList<string>? DefinitionIds = null, string? CorrelationId = null, string? Status = null,
        string? SubStatus = null, string? OrderDirection = null);
}
