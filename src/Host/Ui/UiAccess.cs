using System.Security.Claims;
using Exit.Activities.Cti.Activities;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Ui;

/// <summary>
/// Access checks and the access log for the pages, on the auth module's rules: a course through
/// <see cref="ICaseloadAccess"/> (workers: their own caseload), a task through <see cref="TaskAccess"/> (own or
/// pool) plus the course's responsible worker and, for supervision, the supervisor role. Every read, search,
/// change and export of citizen data — and every refused attempt — is written to <see cref="IAuditLog"/>
/// (ids only). A refused page answers 404, as the API does, so nothing about the resource leaks.
/// </summary>
public sealed class UiAccess(ICaseloadAccess caseload, ICourseDirectory courses, UiQueries queries, IAuditLog audit)
{
    public static string? UserName(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    public async Task<bool> CanReadCourseAsync(ClaimsPrincipal user, Guid courseId, AuditAction action, string purpose, CancellationToken ct)
    {
        var id = courseId.ToString();
        var allowed = await caseload.CanAccessCourseAsync(user, id, ct);
        var citizen = await courses.CitizenOfCorrelationAsync(id, ct);
        await audit.WriteAsync(new AuditRecord(action, "course", id, citizen, purpose, allowed ? AuditOutcome.Allowed : AuditOutcome.Denied), user, ct);
        return allowed;
    }

    public async Task<bool> CanWorkOnTaskAsync(ClaimsPrincipal user, TaskDetails task, AuditAction action, CancellationToken ct)
    {
        var name = UserName(user);
        var allowed = false;
        if (name is not null)
        {
            if (task.Kind == CtiTaskKinds.Supervision)
                allowed = user.IsInRole(ExitRoles.Supervisor) || string.Equals(task.Assignee, name, StringComparison.OrdinalIgnoreCase);
            else if (user.IsInRole(ExitRoles.Worker))
            {
                allowed = TaskAccess.CanComplete(user, task.Assignee, task.Role);
                if (!allowed && Guid.TryParse(task.CorrelationId, out var courseId))
                    allowed = string.Equals(await queries.ResponsibleWorkerAsync(courseId, ct), name, StringComparison.OrdinalIgnoreCase);
            }
        }

        var citizen = await courses.CitizenOfCorrelationAsync(task.CorrelationId, ct);
        await audit.WriteAsync(new AuditRecord(action, "task", task.Id, citizen, "casework", allowed ? AuditOutcome.Allowed : AuditOutcome.Denied), user, ct);
        return allowed;
    }

    public Task RecordAsync(ClaimsPrincipal user, AuditAction action, string resourceType, string? resourceId, string purpose, CancellationToken ct,
        string? citizenId = null) =>
        audit.WriteAsync(new AuditRecord(action, resourceType, resourceId, citizenId, purpose), user, ct);
}

/// <summary>
/// <see cref="ICourseDirectory"/> on the CTI store: a course's citizen and responsible worker. Registered by the UI
/// when nothing better is (the auth module's default finds nothing); belongs with the CTI feature.
/// </summary>
public sealed class CtiCourseDirectory(UiQueries queries) : ICourseDirectory
{
    public async Task<CourseRef?> FindCourseAsync(string courseId, CancellationToken ct) =>
        Guid.TryParse(courseId, out var id) && await queries.CourseRefAsync(id, ct) is { } c ? c : null;

    public async Task<string?> CitizenOfCorrelationAsync(string? correlationId, CancellationToken ct) =>
        Guid.TryParse(correlationId, out var id) ? (await queries.CourseRefAsync(id, ct))?.CitizenId : null;
}
