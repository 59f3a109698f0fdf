using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Tasks;

public static class TaskEndpoints
{
    /// <summary>
    /// Maps the task API under <c>/api/tasks</c> and returns the route group, so authorization (or rate limits)
    /// can be added in one place: <c>app.MapTaskEndpoints().RequireAuthorization("tasks")</c>.
    /// </summary>
    public static RouteGroupBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks")
            .WithTags("Tasks")
            .AddEndpointFilter<ProblemMappingFilter>()
            .ProducesValidationProblem();

        group.MapGet("/", List).WithName("ListTasks")
            .WithSummary("Tasks filtered by assignee, role, status, overdue and correlation id; paged, ordered by due date.");
        group.MapGet("/{id}", Get).WithName("GetTask")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/complete", Complete).WithName("CompleteTask")
            .Accepts<CompleteTask.CompleteTaskBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/assign", Assign).WithName("AssignTask")
            .Accepts<AssignTask.AssignTaskBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/queue", Queue).WithName("TaskQueue")
            .WithSummary("The team queue: open, unassigned tasks of the caller's roles, by due date.");
        group.MapPost("/{id}/claim", Claim).WithName("ClaimTask")
            .WithSummary("Takes an unassigned task of one of the caller's roles; exactly one claim wins (a second gets 409).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/release", Release).WithName("ReleaseTask")
            .WithSummary("Puts a task the caller claimed back in its role's team queue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>What the team queue leaves out.</summary>
    public static class TeamQueue
    {
        /// <summary>Supervision tasks are held as (group) sessions on the supervision page, not claimed one by one.</summary>
        public static readonly IReadOnlyCollection<string> NotQueued = [Exit.Activities.Cti.Activities.CtiTaskKinds.Supervision];
    }

    public sealed record TaskQueueResponse(IReadOnlyList<string> Roles, IReadOnlyList<TaskSummary> Items);

    private static async Task<Ok<TaskQueueResponse>> Queue(ClaimsPrincipal user, HumanTaskService tasks, CancellationToken ct)
    {
        var roles = Exit.Host.Infrastructure.Auth.ExitRoles.All.Where(user.IsInRole).ToList();
        return TypedResults.Ok(new TaskQueueResponse(roles, await tasks.QueueAsync(roles, ct, TeamQueue.NotQueued)));
    }

    private static async Task<Ok<TaskDetails>> Claim(string id, ClaimsPrincipal user, HumanTaskService tasks, TaskQueries queries, CancellationToken ct)
    {
        await tasks.ClaimAsync(id, user.Identity?.Name ?? "", ct);
        return TypedResults.Ok(await queries.GetAsync(id, ct) ?? throw new TaskNotFoundException(id));
    }

    private static async Task<Ok<TaskDetails>> Release(string id, ClaimsPrincipal user, HumanTaskService tasks, TaskQueries queries, CancellationToken ct)
    {
        await tasks.ReleaseAsync(id, user.Identity?.Name ?? "", ct);
        return TypedResults.Ok(await queries.GetAsync(id, ct) ?? throw new TaskNotFoundException(id));
    }

    private static async Task<Ok<ListTasks.TaskListResponse>> List(
        IMediator mediator, CancellationToken ct,
        [FromQuery] string? assignee = null, [FromQuery] string? role = null, [FromQuery] string? status = null,
        [FromQuery] string? overdue = null, [FromQuery] string? correlationId = null,
        [FromQuery] string? page = null, [FromQuery] string? pageSize = null) =>
        TypedResults.Ok(await mediator.Send(new ListTasks.Query(assignee, role, status, overdue, correlationId, page, pageSize), ct));

    private static async Task<Ok<TaskDetails>> Get(string id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetTask.Query(id), ct));

    private static async Task<Ok<CompleteTask.CompleteTaskResponse>> Complete(string id, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct)
    {
        var body = await ReadObjectAsync(request, ct);
        var command = new CompleteTask.Command(id, body?["outcome"]?.DeepClone(), body?["data"]?.DeepClone(), user.Identity?.Name,
            CompletionHandOff.Get(request.HttpContext));
        return TypedResults.Ok(await mediator.Send(command, ct));
    }

    private static async Task<Ok<TaskDetails>> Assign(string id, HttpRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct)
    {
        var body = await ReadObjectAsync(request, ct);
        return TypedResults.Ok(await mediator.Send(new AssignTask.Command(id, body?["assignee"]?.DeepClone(), user.Identity?.Name), ct));
    }

    /// <summary>Reads the body as a JSON object (property names case-insensitive); malformed JSON is a 400 naming "body".</summary>
    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0) return null;
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true }, cancellationToken: ct);
            return node switch
            {
                null => null,
                JsonObject o => o,
                _ => throw new RequestValidationException([new("body", "The body must be a JSON object.")]),
            };
        }
        catch (JsonException e)
        {
            throw new RequestValidationException([new("body", $"Malformed JSON: {e.Message}")]);
        }
    }
}
