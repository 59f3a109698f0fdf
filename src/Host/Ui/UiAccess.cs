using System.Security.Claims;
using Exit.Activities.Cti.Activities;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Ui;

/// <summary>
/// Access checks and the access log for the pages, on the auth module's rules: a course through
/// <see cref="ICaseloadAccess"/> (workers: their own caseload), a task through <see cref="TaskAccess"/> (own or
/// pool) plus the course's responsible worker and, for supervision, the supervisor role; a confidential note through
/// <see cref="ConfidentialTaskKinds"/>. Every read, search,
/// change and export of citizen data — and every refused attempt — is written to <see cref="IAuditLog"/>
/// (ids only). A refused page answers 404, as the API does, so nothing about the resource leaks.
/// </summary>
public sealed class UiAccess(ICaseloadAccess caseload, ICourseDirectory courses, UiQueries queries, IAuditLog audit, ConfidentialTaskKinds confidential,
    AutoRefreshAudit refreshes)
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

    /// <summary>
    /// Reading the task page: whoever may work on it, the course's responsible worker, and supervisors for the
    /// confidential kinds they supervise (read only); changing it: only who <see cref="MayChangeTaskAsync"/>.
    /// Audited as <paramref name="action"/>, allowed or denied.
    /// </summary>
    public async Task<bool> CanWorkOnTaskAsync(ClaimsPrincipal user, TaskDetails task, AuditAction action, CancellationToken ct)
    {
        var casework = action == AuditAction.Read ? await MayReadAsCaseworkAsync(user, task, ct) : await MayChangeTaskAsync(user, task, ct);
        var supervising = !casework && action == AuditAction.Read && confidential.SupervisorMayRead(user, task.Kind);
        var allowed = casework || supervising;
        var citizen = await courses.CitizenOfCorrelationAsync(task.CorrelationId, ct);
        // The purpose is what a citizen is told about the look-up: a supervisor reads to supervise, not for casework.
        var purpose = supervising ? "supervision" : "casework";
        await audit.WriteAsync(new AuditRecord(action, "task", task.Id, citizen, purpose, allowed ? AuditOutcome.Allowed : AuditOutcome.Denied), user, ct);
        return allowed;
    }

    /// <summary>
    /// Completing the task: its assignee, else (unassigned) its pool or the course's responsible worker, or
    /// (supervision) a supervisor. An open task assigned to someone else — a manager may have handed it to a
    /// colleague — is theirs alone, as in the task API (<see cref="TaskAccess.CanComplete"/>). Not audited: the
    /// caller's read or change is.
    /// </summary>
    public async Task<bool> MayChangeTaskAsync(ClaimsPrincipal user, TaskDetails task, CancellationToken ct)
    {
        if (task.Kind != CtiTaskKinds.Supervision && task.Assignee is not null && user.IsInRole(ExitRoles.Worker)
            && !TaskAccess.CanComplete(user, task.Assignee, task.Role))
            return false;
        return await MayReadAsCaseworkAsync(user, task, ct);
    }

    /// <summary>Casework on the task page: its assignee or pool, the course's responsible worker (who also reads the course's past tasks), or (supervision) a supervisor.</summary>
    private async Task<bool> MayReadAsCaseworkAsync(ClaimsPrincipal user, TaskDetails task, CancellationToken ct)
    {
        var name = UserName(user);
        if (name is null) return false;
        if (task.Kind == CtiTaskKinds.Supervision)
            return user.IsInRole(ExitRoles.Supervisor) || string.Equals(task.Assignee, name, StringComparison.OrdinalIgnoreCase);
        if (!user.IsInRole(ExitRoles.Worker)) return false;
        if (TaskAccess.CanComplete(user, task.Assignee, task.Role)) return true;
        return Guid.TryParse(task.CorrelationId, out var courseId)
               && string.Equals(await queries.ResponsibleWorkerAsync(courseId, ct), name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The task as this user may read it (<see cref="ConfidentialTaskKinds"/>: a note for its author and supervisors; a
    /// case note also for the course's responsible worker, whose read of someone else's note is audited as "continuity").
    /// </summary>
    public async Task<TaskDetails> ForReaderAsync(ClaimsPrincipal user, TaskDetails task, CancellationToken ct)
    {
        var responsible = await IsResponsibleAsync(user, task, ct);
        if (confidential.IsContinuityRead(user, task, responsible))
        {
            var citizen = await courses.CitizenOfCorrelationAsync(task.CorrelationId, ct);
            await audit.WriteAsync(new AuditRecord(AuditAction.Read, "task-note", task.Id, citizen, "continuity"), user, ct);
        }

        return confidential.ForReader(user, task, responsible);
    }

    public async Task<bool> MayReadNoteAsync(ClaimsPrincipal user, TaskDetails task, CancellationToken ct) =>
        confidential.MayReadNote(user, task, await IsResponsibleAsync(user, task, ct));

    private async Task<bool> IsResponsibleAsync(ClaimsPrincipal user, TaskDetails task, CancellationToken ct) =>
        task.CorrelationId is { } course && confidential.Contains(task.Kind) && await caseload.CanReadConfidentialNotesAsync(user, course, ct);

    public Task RecordAsync(ClaimsPrincipal user, AuditAction action, string resourceType, string? resourceId, string purpose, CancellationToken ct,
        string? citizenId = null) =>
        audit.WriteAsync(new AuditRecord(action, resourceType, resourceId, citizenId, purpose), user, ct);

    /// <summary>For a page's own periodic refresh: written once per <see cref="AutoRefreshAudit.Window"/> for identical entries.</summary>
    public Task RecordRefreshAsync(ClaimsPrincipal user, AuditAction action, string resourceType, string purpose, CancellationToken ct) =>
        refreshes.WriteAsync(new AuditRecord(action, resourceType, null, null, purpose), user, ct);
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
