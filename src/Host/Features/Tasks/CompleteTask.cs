using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure;
using Exit.Workflows.State;
using MediatR;

namespace Exit.Host.Features.Tasks;

/// <summary>POST /api/tasks/{id}/complete: completes an open task once and resumes its workflow on the outcome.</summary>
public static class CompleteTask
{
    public const int MaxOutcomeLength = 200;

    /// <summary>The JSON body: the chosen outcome and the submitted form data (an object, or absent). Unique name for OpenAPI.</summary>
    public sealed record CompleteTaskBody(string? Outcome, JsonObject? Data);

    /// <summary>The body's values as sent, so the validator can name a wrongly typed field.</summary>
    /// <param name="Prepared">From the task API's access check: the task as read there and effects to commit with the completion.</param>
    public sealed record Command(string Id, JsonNode? Outcome, JsonNode? Data, string? CompletedBy, CompletionHandOff.Prepared? Prepared = null)
        : IRequest<CompleteTaskResponse>;

    public sealed record CompleteTaskResponse(string TaskId, string Outcome, string InstanceId, WorkflowStatus WorkflowStatus, WorkflowSubStatus WorkflowSubStatus);

    public sealed class Validator : IRequestValidator<Command>
    {
        public IEnumerable<ValidationFailure> Validate(Command c)
        {
            var outcome = Text(c.Outcome);
            if (c.Outcome is not null and not JsonValue || (c.Outcome is JsonValue && outcome is null))
                yield return new("outcome", "Must be a string.");
            else if (string.IsNullOrWhiteSpace(outcome))
                yield return new("outcome", "An outcome is required.");
            else if (outcome.Length > MaxOutcomeLength)
                yield return new("outcome", $"At most {MaxOutcomeLength} characters.");
            if (c.Data is not null and not JsonObject)
                yield return new("data", "Must be a JSON object (or left out).");
        }
    }

    public sealed class Handler(HumanTaskService tasks) : IRequestHandler<Command, CompleteTaskResponse>
    {
        public async Task<CompleteTaskResponse> Handle(Command c, CancellationToken cancellationToken)
        {
            var outcome = Text(c.Outcome)!;
            var run = await tasks.CompleteAsync(c.Id, outcome, c.Data, c.CompletedBy, c.Prepared?.Task, c.Prepared?.AlsoCommit ?? [], cancellationToken);
            return new CompleteTaskResponse(c.Id, outcome, run.InstanceId, run.Status, run.SubStatus);
        }
    }

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
