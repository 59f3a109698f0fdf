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

    /// <summary>
    /// A volunteer support-and-contact person currently matched to the course: she may log contacts on it and read her own,
    /// and see the citizen's alias — never the course itself (<see cref="CanAccessCourseAsync"/> stays false for her).
    /// </summary>
    Task<bool> IsMatchedSupportPersonAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default);

    /// <summary>Who reads which contact notes of the course (<see cref="ContactNoteReader"/>).</summary>
    Task<ContactNoteReader> ContactNoteReaderAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default);
}

/// <summary>
/// The contact-log note rule for one reader and course. A note by a volunteer support-and-contact person is under her
/// confidentiality (seed 000: <i>tavshedspligt</i> towards the municipality): read by her and the psychologist (supervisor
/// role) only. Any other note is a municipal case note: its author, supervisors, and the course's responsible worker
/// (a read of someone else's note that is then a continuity read, audited as such).
/// </summary>
public sealed class ContactNoteReader(string? me, bool supervisor, bool responsibleWorker, IReadOnlySet<string> supportPersonAuthors)
{
    public bool IsSupportPersonNote(string recordedBy) => supportPersonAuthors.Contains(recordedBy);

    public bool MayRead(string recordedBy)
    {
        if (supervisor || string.Equals(recordedBy, me, StringComparison.OrdinalIgnoreCase)) return true;
        return responsibleWorker && !IsSupportPersonNote(recordedBy);
    }

    /// <summary>The responsible worker reading a case note another worker wrote.</summary>
    public bool IsContinuityRead(string recordedBy) =>
        responsibleWorker && !supervisor && !IsSupportPersonNote(recordedBy) && !string.Equals(recordedBy, me, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The support-and-contact-person scheme as access checks need it. The scheme's feature provides it; without it no one is
/// a support person (<see cref="NoSupportPersonDirectory"/>).
/// </summary>
public interface ISupportPersonDirectory
{
    /// <summary>Whether the user account is an active SKP with a current match to the course.</summary>
    Task<bool> IsCurrentlyMatchedAsync(string userName, string courseId, CancellationToken ct);

    /// <summary>The user names of every SKP (any status): their contact notes keep the SKP's confidentiality.</summary>
    Task<IReadOnlySet<string>> SupportPersonUserNamesAsync(CancellationToken ct);
}

public sealed class NoSupportPersonDirectory : ISupportPersonDirectory
{
    public Task<bool> IsCurrentlyMatchedAsync(string userName, string courseId, CancellationToken ct) => Task.FromResult(false);

    public Task<IReadOnlySet<string>> SupportPersonUserNamesAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
}

public sealed class CaseloadAccess(ICourseDirectory courses, ISupportPersonDirectory? supportPersons = null) : ICaseloadAccess
{
    private readonly ISupportPersonDirectory _supportPersons = supportPersons ?? new NoSupportPersonDirectory();

    public async Task<bool> IsMatchedSupportPersonAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true || !user.IsInRole(ExitRoles.Volunteer) || user.Identity.Name is not { Length: > 0 } name) return false;
        return await _supportPersons.IsCurrentlyMatchedAsync(name, courseId, ct);
    }

    public async Task<ContactNoteReader> ContactNoteReaderAsync(ClaimsPrincipal user, string courseId, CancellationToken ct = default) =>
        new(user.Identity?.IsAuthenticated == true ? user.Identity.Name : null, user.IsInRole(ExitRoles.Supervisor),
            await CanReadConfidentialNotesAsync(user, courseId, ct), await _supportPersons.SupportPersonUserNamesAsync(ct));

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
