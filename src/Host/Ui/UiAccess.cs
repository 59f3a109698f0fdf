using System.Collections.Concurrent;
using System.Security.Claims;
using Exit.Activities.Cti.Activities;
using Exit.Activities.HumanTasks;

namespace Exit.Host.Ui;

/// <summary>One audited UI access: who, what (action and subject ids, never names or answers), allowed or refused, why.</summary>
public sealed record UiAuditEntry(DateTimeOffset At, string? User, string Action, string SubjectType, string? SubjectId, bool Allowed, string Purpose);

/// <summary>
/// Where the UI writes its access log. Interim seam until the auth module's <c>IAuditLog</c> is merged; the pages call
/// only this, so switching is one registration.
/// </summary>
public interface IUiAuditTrail
{
    Task RecordAsync(UiAuditEntry entry, CancellationToken ct);

    IReadOnlyList<UiAuditEntry> Recent { get; }
}

/// <summary>Writes each entry to the log (ids only) and keeps the last 1000 in memory.</summary>
public sealed class LoggingUiAuditTrail(ILogger<LoggingUiAuditTrail> logger) : IUiAuditTrail
{
    private readonly ConcurrentQueue<UiAuditEntry> _recent = new();

    public IReadOnlyList<UiAuditEntry> Recent => _recent.ToArray();

    public Task RecordAsync(UiAuditEntry entry, CancellationToken ct)
    {
        _recent.Enqueue(entry);
        while (_recent.Count > 1000) _recent.TryDequeue(out _);
        logger.LogInformation("Audit {Action} {SubjectType} {SubjectId} by {User}: {Result} ({Purpose})",
            entry.Action, entry.SubjectType, entry.SubjectId, entry.User, entry.Allowed ? "allowed" : "refused", entry.Purpose);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Caseload access for the pages: a worker reads only the courses (and their tasks) they are responsible for; a
/// supervisor reads supervision tasks; managers read team figures, never task data. Every decision is audited.
/// </summary>
public sealed class UiAccess(UiQueries queries, IUiAuditTrail audit, TimeProvider clock)
{
    public static string? UserName(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    public async Task<bool> CanReadCourseAsync(ClaimsPrincipal user, Guid courseId, string purpose, CancellationToken ct)
    {
        var name = UserName(user);
        var worker = await queries.ResponsibleWorkerAsync(courseId, ct);
        var allowed = worker is not null && name is not null && string.Equals(worker, name, StringComparison.Ordinal) && user.IsInRole(UiRoles.Worker);
        await RecordAsync(user, "read", "course", courseId.ToString(), allowed, purpose, ct);
        return allowed;
    }

    public async Task<bool> CanWorkOnTaskAsync(ClaimsPrincipal user, TaskDetails task, string action, CancellationToken ct)
    {
        var name = UserName(user);
        var allowed = false;
        if (name is not null)
        {
            if (task.Kind == CtiTaskKinds.Supervision)
                allowed = user.IsInRole(UiRoles.Supervisor) || string.Equals(task.Assignee, name, StringComparison.Ordinal);
            else if (user.IsInRole(UiRoles.Worker))
            {
                allowed = string.Equals(task.Assignee, name, StringComparison.Ordinal);
                if (!allowed && Guid.TryParse(task.CorrelationId, out var courseId))
                    allowed = string.Equals(await queries.ResponsibleWorkerAsync(courseId, ct), name, StringComparison.Ordinal);
            }
        }

        await RecordAsync(user, action, "task", task.Id, allowed, "casework", ct);
        return allowed;
    }

    public Task RecordAsync(ClaimsPrincipal user, string action, string subjectType, string? subjectId, bool allowed, string purpose, CancellationToken ct) =>
        audit.RecordAsync(new UiAuditEntry(clock.GetUtcNow(), UserName(user), action, subjectType, subjectId, allowed, purpose), ct);
}
