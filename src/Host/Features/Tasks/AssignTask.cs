using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure;
using MediatR;

namespace Exit.Host.Features.Tasks;

/// <summary>POST /api/tasks/{id}/assign: gives an open task to someone else, recording who did it.</summary>
public static class AssignTask
{
    public sealed record AssignTaskBody(string? Assignee);

    /// <summary>The body's value as sent, so the validator can name a wrongly typed field.</summary>
    public sealed record Command(string Id, JsonNode? Assignee, string? AssignedBy) : IRequest<TaskDetails>;

    public sealed class Validator : IRequestValidator<Command>
    {
        public IEnumerable<ValidationFailure> Validate(Command c)
        {
            var assignee = CompleteTask.Text(c.Assignee);
            if (c.Assignee is not null && assignee is null)
                yield return new("assignee", "Must be a string.");
            else if (string.IsNullOrWhiteSpace(assignee))
                yield return new("assignee", "An assignee is required.");
            else if (assignee.Trim().Length > HumanTaskService.MaxAssigneeLength)
                yield return new("assignee", $"At most {HumanTaskService.MaxAssigneeLength} characters.");
        }
    }

    public sealed class Handler(HumanTaskService tasks, TaskQueries queries) : IRequestHandler<Command, TaskDetails>
    {
        public async Task<TaskDetails> Handle(Command c, CancellationToken cancellationToken)
        {
            await tasks.ReassignAsync(c.Id, CompleteTask.Text(c.Assignee)!, c.AssignedBy, cancellationToken);
            return await queries.GetAsync(c.Id, cancellationToken) ?? throw new TaskNotFoundException(c.Id);
        }
    }
}
