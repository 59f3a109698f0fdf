using System.Security.Claims;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>A course as access checks need it: its citizen and its responsible worker (a user name).</summary>
public sealed record CourseRef(string CourseId, string CitizenId, string? Worker);

/// <summary>
/// Looks courses up for access checks and audit entries. The CTI feature provides the implementation; without
/// it nothing is found (no course, no citizen).
/// </summary>
public interface ICourseDirectory
{
    Task<CourseRef?> FindCourseAsync(string courseId, CancellationToken ct);

    /// <summary>The citizen behind a workflow correlation id (a course id for CTI courses), or null.</summary>
    Task<string?> CitizenOfCorrelationAsync(string? correlationId, CancellationToken ct);
}

public sealed class NoCourseDirectory : ICourseDirectory
{
    public Task<CourseRef?> FindCourseAsync(string courseId, CancellationToken ct) => Task.FromResult<CourseRef?>(null);
    public Task<string?> CitizenOfCorrelationAsync(string? correlationId, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>
/// Caseload access: the one rule for "may this user see this course (and its citizen)". Workers: only courses
/// where they are the responsible worker; managers: all courses; others: none. Callers answer 404 when false.
/// </summary>
public interface ICaseloadAccess
{
    Task<bool> CanAccessCourseAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default);

    /// <summary>Confidential notes: the responsible worker only, never managers.</summary>
    Task<bool> CanReadConfidentialNotesAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default);
}

public sealed class CaseloadAccess(ICourseDirectory courses) : ICaseloadAccess
{
    public async Task<bool> CanAccessCourseAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        var course = await courses.FindCourseAsync(courseId, ct);
        if (course is null) return false;
        if (user.IsInRole(ExitRoles.Manager)) return true;
        return IsResponsibleWorker(user, course);
    }

    public async Task<bool> CanReadConfidentialNotesAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        var course = await courses.FindCourseAsync(courseId, ct);
        return course is not null && IsResponsibleWorker(user, course);
    }

    private static bool IsResponsibleWorker(ClaimsPrincipal user, CourseRef course) =>
        user.IsInRole(ExitRoles.Worker) && course.Worker is not null &&
        string.Equals(course.Worker, user.Identity?.Name, StringComparison.OrdinalIgnoreCase);
}
