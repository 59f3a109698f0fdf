using Exit.Host.Features.Elsa.Instances;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Elsa.ActivityExecutions;

/// <summary>/elsa/api/activity-executions/* and /elsa/api/activity-execution-summaries/* for Studio's instance viewer.</summary>
public static class ActivityExecutionEndpoints
{
    public sealed record ListArgs(
        [FromQuery] string? WorkflowInstanceId, [FromQuery] string? ActivityNodeId, [FromQuery] string? ActivityId, [FromQuery] bool? Completed)
    {
        public ListActivityExecutions.Query ToQuery() => new(WorkflowInstanceId, ActivityNodeId, ActivityId, Completed);
    }

    public static RouteGroupBuilder MapActivityExecutionEndpoints(this RouteGroupBuilder elsa)
    {
        var executions = elsa.MapGroup("/activity-executions").WithTags("Elsa activity executions");

        executions.MapGet("/list", async Task<Ok<ListResponse<ActivityExecutionRecordDto>>> ([AsParameters] ListArgs args, IMediator mediator, CancellationToken ct) =>
        {
            var records = await mediator.Send(args.ToQuery(), ct);
            return TypedResults.Ok(new ListResponse<ActivityExecutionRecordDto>(records, records.Count));
        }).WithName("ListActivityExecutions");

        executions.MapGet("/by-id", async Task<Results<Ok<ActivityExecutionRecordDto>, NotFound>> ([FromQuery] string? id, IMediator mediator, CancellationToken ct) =>
            !string.IsNullOrEmpty(id) && await mediator.Send(new GetActivityExecution.Query(id), ct) is { } record
                ? TypedResults.Ok(record) : TypedResults.NotFound())
            .WithName("GetActivityExecution");

        executions.MapPost("/report", async Task<Ok<ActivityExecutionReport.Response>> ([FromBody] ActivityExecutionReport.Body? body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ActivityExecutionReport.Query(body?.WorkflowInstanceId, body?.ActivityNodeIds), ct)))
            .WithName("ActivityExecutionReport");

        elsa.MapGroup("/activity-execution-summaries").WithTags("Elsa activity executions")
            .MapGet("/list", async Task<Ok<ListResponse<ActivityExecutionSummaryDto>>> ([AsParameters] ListArgs args, IMediator mediator, CancellationToken ct) =>
            {
                var records = await mediator.Send(args.ToQuery(), ct);
                var summaries = records.Select(JournalProjection.Summary).ToList();
                return TypedResults.Ok(new ListResponse<ActivityExecutionSummaryDto>(summaries, summaries.Count));
            }).WithName("ListActivityExecutionSummaries");

        return elsa;
    }
}
