using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Elsa.Events;

/// <summary>
/// POST /elsa/api/events/{eventName}/trigger (Elsa's route), body <c>{"correlationId"?, "payload"?}</c>: resumes every
/// instance waiting in an <c>Elsa.Event</c> of that name (only those with the correlation id, when given) and starts
/// each published workflow whose trigger is that event. Answers the instances it ran, so a caller can see it landed.
/// </summary>
public static class TriggerEvent
{
    public sealed record Request(string? CorrelationId, JsonNode? Payload);

    public sealed record Response(IReadOnlyList<RunInstance> Instances);

    public sealed record RunInstance(string WorkflowInstanceId, string Status, string SubStatus);

    public const int MaxEventNameLength = 256;

    public static RouteGroupBuilder MapEventEndpoints(this RouteGroupBuilder elsa)
    {
        elsa.MapPost("/events/{eventName}/trigger", TriggerAsync).WithTags("Elsa events").WithName("TriggerEvent");
        return elsa;
    }

    private static async Task<Results<Ok<Response>, ValidationProblem>> TriggerAsync(
        string eventName, Request? request, IWorkflowRuntime runtime, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(eventName) || eventName.Length > MaxEventNameLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["eventName"] = [$"An event name of 1 to {MaxEventNameLength} characters is required."],
            });

        var results = await runtime.PublishEventAsync(eventName, request?.CorrelationId, request?.Payload, ct);
        return TypedResults.Ok(new Response(results
            .Select(r => new RunInstance(r.InstanceId, r.Status.ToString(), r.SubStatus.ToString()))
            .ToList()));
    }
}
