using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.SupportPersons.Application;

/// <summary>A running course a manager can match an SKP to: ids and the responsible worker, no citizen data.</summary>
public sealed record MatchableCourse(Guid CourseId, string Worker, DateTimeOffset StartDate, bool Referred);

public sealed record ReferralView(Guid Id, Guid CourseId, string CitizenId, string ReferredBy, DateTimeOffset ReferredAt, Guid? MatchId);

public sealed record MatchView(
    Guid Id, Guid SupportPersonId, Guid CourseId, string CitizenId, Guid NetworkMemberId, DateOnly Start, int HoursPerWeek, DateOnly? End)
{
    public bool IsCurrent(DateOnly today) => Start <= today && (End is null || End >= today);
}

/// <summary>A match as the manager enters it, before validation.</summary>
public sealed record MatchInput(Guid? CourseId, string? Start, int? HoursPerWeek, string? End);

/// <summary>
/// Referral and matching: a worker refers a citizen's course to the scheme; a manager matches an active SKP to it (start,
/// agreed hours a week, end). The SKP then joins the course's network (role "støtte- og kontaktperson", her name or alias
/// and team, no contact details: those stay in the register), so the course and its handover see her. Which courses a
/// caller may refer or match is the host's check (<c>ICaseloadAccess</c>).
/// </summary>
public sealed class SupportPersonMatching(
    SupportPersonsDbContextFactory contexts, CtiCourseService courses, CtiDbContextFactory cti, TimeProvider clock, ILogger<SupportPersonMatching> logger)
{
    public async Task<ReferralView> ReferAsync(Guid courseId, string by, CancellationToken ct)
    {
        var course = await courses.GetCourseAsync(courseId, ct);
        if (course.IsEnded) throw new SupportPersonValidationException([new("courseId", "The course has ended.")]);
        await using var db = contexts.Create();
        var key = courseId.ToString();
        var open = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.CourseId == key && r.MatchId == null, ct);
        if (open is not null) return ToView(open); // referring twice is one referral
        var record = new ReferralRecord
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()).ToString(), CourseId = key, CitizenId = course.CitizenId.ToString(), ReferredBy = by,
            ReferredAt = clock.GetUtcNow(),
        };
        db.Referrals.Add(record);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Course {CourseId} referred to the support-person scheme ({ReferralId})", key, record.Id);
        return ToView(record);
    }

    public async Task<IReadOnlyList<ReferralView>> OpenReferralsAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.Referrals.AsNoTracking().Where(r => r.MatchId == null).OrderBy(r => r.ReferredAt).Take(500).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    /// <summary>
    /// Matches an SKP to a course: every field checked first (400 naming each, nothing stored); the SKP must be active and
    /// not already matched to the course; the course must be running. The SKP joins the network, then the match is stored
    /// and an open referral of the course is closed by it.
    /// </summary>
    public async Task<MatchView> MatchAsync(Guid supportPersonId, MatchInput input, string by, CancellationToken ct)
    {
        var problems = new List<SupportPersonProblem>();
        if (input.CourseId is null) problems.Add(new("courseId", "Required."));
        var start = SupportPersonValidation.Date(input.Start, "start", required: true, problems);
        var end = SupportPersonValidation.Date(input.End, "end", required: false, problems);
        if (start is { } s && end is { } e && e < s) problems.Add(new("end", "The match ends before it starts."));
        var hours = input.HoursPerWeek ?? SupportPersonValidation.DefaultHoursPerWeek;
        if (hours is < 1 or > 40) problems.Add(new("hoursPerWeek", "Between 1 and 40 hours a week (the scheme's default is 3)."));

        await using var db = contexts.Create();
        var personKey = supportPersonId.ToString();
        var person = await db.SupportPersons.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personKey, ct)
                     ?? throw new SupportPersonNotFoundException("Support person", personKey);
        if (person.Status != nameof(SupportPersonStatus.Active))
            problems.Add(new("supportPersonId", "Only an active support-and-contact person is matched to a citizen."));
        Course? course = null;
        if (input.CourseId is { } courseId)
        {
            try
            {
                course = await courses.GetCourseAsync(courseId, ct);
                if (course.IsEnded) problems.Add(new("courseId", "The course has ended."));
            }
            catch (CtiNotFoundException)
            {
                problems.Add(new("courseId", "No course with that id."));
            }

            var courseKey = courseId.ToString();
            if (await db.Matches.AsNoTracking().AnyAsync(m => m.CourseId == courseKey && m.SupportPersonId == personKey && m.EndOn == null, ct))
                problems.Add(new("courseId", "This support-and-contact person is already matched to the course."));
        }

        if (problems.Count > 0) throw new SupportPersonValidationException(problems);

        var memberId = Guid.CreateVersion7(clock.GetUtcNow());
        var member = new SupportNetworkMember(memberId, NetworkRole.SupportContactPerson, person.DisplayName, person.Team, null,
            RoleInPlan: "Støtte- og kontaktperson (frivillig)");
        await courses.ReplaceNetworkAsync(course!.Id.Value, [.. course.Network, member], ct);

        var record = new MatchRecord
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()).ToString(), SupportPersonId = personKey, CourseId = course.Id.ToString(),
            CitizenId = course.CitizenId.ToString(), NetworkMemberId = memberId.ToString(), StartOn = SupervisionCalendar.Key(start!.Value),
            HoursPerWeek = hours, EndOn = end is { } x ? SupervisionCalendar.Key(x) : null, CreatedBy = by, CreatedAt = clock.GetUtcNow(),
        };
        db.Matches.Add(record);
        var courseId2 = course.Id.ToString();
        foreach (var referral in await db.Referrals.AsTracking().Where(r => r.CourseId == courseId2 && r.MatchId == null).ToListAsync(ct))
            referral.MatchId = record.Id;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Support person {SupportPersonId} matched to course {CourseId} ({MatchId})", personKey, courseId2, record.Id);
        return ToView(record);
    }

    /// <summary>Running courses (not completed or cancelled), referred ones first.</summary>
    public async Task<IReadOnlyList<MatchableCourse>> MatchableCoursesAsync(CancellationToken ct)
    {
        string[] ended = [nameof(CourseStatus.Completed), nameof(CourseStatus.Cancelled)];
        await using (var ctiDb = cti.Create())
        {
            var rows = await ctiDb.Courses.AsNoTracking().Where(c => !ended.Contains(c.Status))
                .Select(c => new { c.Id, c.ResponsibleWorker, c.StartDate }).Take(2000).ToListAsync(ct);
            var referred = (await OpenReferralsAsync(ct)).Select(r => r.CourseId.ToString()).ToHashSet(StringComparer.Ordinal);
            return rows.Select(r => new MatchableCourse(Guid.Parse(r.Id), r.ResponsibleWorker, r.StartDate, referred.Contains(r.Id)))
                .OrderByDescending(c => c.Referred).ThenBy(c => c.StartDate).ToList();
        }
    }

    public async Task<IReadOnlyList<MatchView>> MatchesOfAsync(Guid supportPersonId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var key = supportPersonId.ToString();
        var rows = await db.Matches.AsNoTracking().Where(m => m.SupportPersonId == key).OrderBy(m => m.StartOn).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    public async Task<IReadOnlyList<MatchView>> AllMatchesAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.Matches.AsNoTracking().OrderBy(m => m.StartOn).Take(2000).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    public static MatchView ToView(MatchRecord r) => new(
        Guid.Parse(r.Id), Guid.Parse(r.SupportPersonId), Guid.Parse(r.CourseId), r.CitizenId, Guid.Parse(r.NetworkMemberId),
        SupervisionCalendar.Parse(r.StartOn), r.HoursPerWeek, r.EndOn is null ? null : SupervisionCalendar.Parse(r.EndOn));

    private static ReferralView ToView(ReferralRecord r) => new(
        Guid.Parse(r.Id), Guid.Parse(r.CourseId), r.CitizenId, r.ReferredBy, r.ReferredAt, r.MatchId is null ? null : Guid.Parse(r.MatchId));
}
