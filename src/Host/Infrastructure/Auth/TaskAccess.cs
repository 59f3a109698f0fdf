using System.Reflection;
using System.Security.Claims;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Tasks;
using Exit.Host.Infrastructure.Audit;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Who may see and complete which task: the one place for the rule (the API filter and the web pages use it).
/// Managers see every task; everyone else sees a task assigned to them by name, or an unassigned task for one
/// of their roles, and may complete exactly those. Nobody completes someone else's task; managers reassign.
/// </summary>
public static class TaskAccess
{
    public static bool IsManager(ClaimsPrincipal user) => user.IsInRole(ExitRoles.Manager);

    public static bool CanSee(ClaimsPrincipal user, string? assignee, string? role) =>
        IsManager(user) || IsOwnOrPool(user, assignee, role);

    public static bool CanComplete(ClaimsPrincipal user, string? assignee, string? role) => IsOwnOrPool(user, assignee, role);

    /// <summary>The team queue: a task's role is one the user holds (claiming is for them).</summary>
    public static bool HoldsRoleOf(ClaimsPrincipal user, string? role) => role is not null && user.IsInRole(role);

    public static bool IsAssignee(ClaimsPrincipal user, string? assignee) =>
        assignee is not null && string.Equals(assignee, user.Identity?.Name, StringComparison.OrdinalIgnoreCase);

    private static bool IsOwnOrPool(ClaimsPrincipal user, string? assignee, string? role)
    {
        if (assignee is not null) return string.Equals(assignee, user.Identity?.Name, StringComparison.OrdinalIgnoreCase);
        return role is not null && user.IsInRole(role);
    }
}

/// <summary>
/// Per-task checks and audit entries for <c>/api/tasks</c>. A task the caller may not see answers 404 (as if it did
/// not exist) and writes a denied audit entry. A non-manager's list is narrowed to their own tasks unless they
/// filter by one of their roles, and then shows only that role's unassigned tasks and their own.
/// </summary>
public sealed class TaskAccessFilter(TaskQueries tasks, HumanTaskService completions, IAuditLog audit, ICourseDirectory courses,
    ConfidentialTaskKinds confidential, ICaseloadAccess caseload, TimeProvider clock) : IEndpointFilter
{
    public const string ListEndpoint = "ListTasks";
    public const string GetEndpoint = "GetTask";
    public const string CompleteEndpoint = "CompleteTask";
    public const string AssignEndpoint = "AssignTask";
    public const string QueueEndpoint = "TaskQueue";
    public const string ClaimEndpoint = "ClaimTask";
    public const string ReleaseEndpoint = "ReleaseTask";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var user = http.User;
        var endpoint = http.GetEndpoint();
        var name = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name == ListEndpoint) return await ListAsync(context, next, endpoint!, user);
        if (name == QueueEndpoint)
        {
            var queue = await next(context);
            await audit.WriteAsync(new AuditRecord(AuditAction.Search, "task", null, null, "casework: team queue"));
            return queue;
        }

        var id = http.Request.RouteValues["id"] as string;
        if (id is null) return await next(context);
        // A completion reads the row once, here, in the form the completion needs too (handed on below).
        var forCompletion = name == CompleteEndpoint ? await completions.FindForCompletionAsync(id, http.RequestAborted) : null;
        var task = forCompletion is not null
            ? new { forCompletion.Assignee, forCompletion.Role, forCompletion.Kind, forCompletion.CorrelationId }
            : name == CompleteEndpoint ? null
            : await tasks.GetAsync(id, http.RequestAborted) is { } details
                ? new { details.Assignee, details.Role, details.Kind, details.CorrelationId }
                : null;
        if (task is null) return await next(context); // the handler answers 404
        var citizen = await courses.CitizenOfCorrelationAsync(task.CorrelationId, http.RequestAborted);

        var visible = TaskAccess.CanSee(user, task.Assignee, task.Role) || confidential.SupervisorMayRead(user, task.Kind);
        var (action, allowed) = name switch
        {
            CompleteEndpoint => (AuditAction.Change, TaskAccess.CanComplete(user, task.Assignee, task.Role)),
            AssignEndpoint => (AuditAction.Change, TaskAccess.IsManager(user)),
            // Anyone holding the task's role may try to claim it; if someone else has it, the claim answers 409.
            ClaimEndpoint => (AuditAction.Change, TaskAccess.HoldsRoleOf(user, task.Role)),
            ReleaseEndpoint => (AuditAction.Change, TaskAccess.IsAssignee(user, task.Assignee)),
            _ => (AuditAction.Read, visible),
        };
        if (!allowed)
        {
            await audit.WriteAsync(new AuditRecord(action, "task", id, citizen, Outcome: AuditOutcome.Denied));
            // Someone who may see the task (a manager) learns nothing new from a 403; anyone else gets 404.
            if (visible)
                return TypedResults.Problem(title: "Forbidden", detail: "Only the assignee (or, for an unassigned task, its role) completes a task; reassign it instead.", statusCode: StatusCodes.Status403Forbidden);
            throw new TaskNotFoundException(id);
        }

        var record = new AuditRecord(action, "task", id, citizen);
        if (forCompletion is not null)
        {
            // The completion's audit entry is written in the workflow commit that completes the task (one transaction,
            // one fsync, stored exactly when the completion is); written here only if that commit did not take it.
            var inCommit = new AuditInCommit(AuditLog.CreateEntry(record, user, http, clock.GetUtcNow()));
            CompletionHandOff.Set(http, new CompletionHandOff.Prepared(forCompletion, [inCommit]));
            var completed = await next(context);
            if (!inCommit.Written) await audit.WriteAsync(record);
            return completed;
        }

        var result = await next(context);
        await audit.WriteAsync(record);
        return await ConfidentialAsync(result, user, citizen, http.RequestAborted);
    }

    /// <summary>
    /// Every task detail this API answers with passes the confidential-note rule (<see cref="ConfidentialTaskKinds"/>);
    /// the course's responsible worker reading a case note someone else wrote is audited as "continuity".
    /// </summary>
    private async Task<object?> ConfidentialAsync(object? result, ClaimsPrincipal user, string? citizen, CancellationToken ct)
    {
        if (result is not Microsoft.AspNetCore.Http.HttpResults.Ok<TaskDetails> { Value: { } details }) return result;
        var responsible = details.CorrelationId is { } course && confidential.Contains(details.Kind)
                          && await caseload.CanReadConfidentialNotesAsync(user, course, ct);
        if (confidential.IsContinuityRead(user, details, responsible))
            await audit.WriteAsync(new AuditRecord(AuditAction.Read, "task-note", details.Id, citizen, "continuity"), user, CancellationToken.None);
        return TypedResults.Ok(confidential.ForReader(user, details, responsible));
    }

    private async ValueTask<object?> ListAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, Endpoint endpoint, ClaimsPrincipal user)
    {
        var query = context.HttpContext.Request.Query;
        var correlation = query["correlationId"].ToString();
        var citizen = correlation.Length > 0 ? await courses.CitizenOfCorrelationAsync(correlation, context.HttpContext.RequestAborted) : null;
        if (TaskAccess.IsManager(user))
        {
            var all = await next(context);
            await audit.WriteAsync(new AuditRecord(AuditAction.Search, "task", null, citizen));
            return all;
        }

        var assignee = query["assignee"].ToString();
        var role = query["role"].ToString();
        var me = user.Identity?.Name;
        if ((assignee.Length > 0 && !string.Equals(assignee, me, StringComparison.OrdinalIgnoreCase)) || (role.Length > 0 && !user.IsInRole(role)))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Search, "task", null, citizen, Outcome: AuditOutcome.Denied));
            return TypedResults.Problem(title: "Forbidden", detail: "You can list your own tasks and the unassigned tasks of your roles.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (assignee.Length == 0 && role.Length == 0 && IndexOf(endpoint, "assignee") is { } index) context.Arguments[index] = me;

        var result = await next(context);
        await audit.WriteAsync(new AuditRecord(AuditAction.Search, "task", null, citizen));
        // A role filter matches tasks of that role assigned to others too: keep only what this user may see.
        if (result is Microsoft.AspNetCore.Http.HttpResults.Ok<ListTasks.TaskListResponse> { Value: { } page } && role.Length > 0)
        {
            var visible = page.Items.Where(t => TaskAccess.CanSee(user, t.Assignee, t.Role)).ToList();
            return TypedResults.Ok(page with { Items = visible, TotalCount = page.TotalCount - (page.Items.Count - visible.Count) });
        }

        return result;
    }

    private static int? IndexOf(Endpoint endpoint, string parameter)
    {
        var method = endpoint.Metadata.GetMetadata<MethodInfo>();
        var index = method?.GetParameters().ToList().FindIndex(p => p.Name == parameter);
        return index is >= 0 ? index : null;
    }
}
