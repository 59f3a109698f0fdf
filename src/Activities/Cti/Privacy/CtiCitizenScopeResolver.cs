using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Privacy;

/// <summary>
/// Citizens and their courses, from the CTI tables. A course's end is the time of its last change once it has ended
/// (an ended course cannot change any more, so that is when it was closed; a later write only moves the date later,
/// which keeps data longer, never shorter).
/// </summary>
public sealed class CtiCitizenScopeResolver(CtiDbContextFactory contexts) : ICitizenScopeResolver
{
    private static readonly string[] EndedStatuses = [nameof(CourseStatus.Completed), nameof(CourseStatus.Cancelled)];

    public async Task<CitizenDataScope?> ResolveAsync(string citizenId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        if (!await db.Citizens.AnyAsync(c => c.Id == citizenId, ct)) return null;
        var courses = await db.Courses.AsNoTracking().Where(c => c.CitizenId == citizenId)
            .Select(c => new { c.Id, c.InstanceId, c.Status, c.UpdatedAt }).ToListAsync(ct);
        return new CitizenDataScope(citizenId,
            [.. courses.Select(c => new CourseRef(c.Id, c.InstanceId, EndedStatuses.Contains(c.Status), EndedStatuses.Contains(c.Status) ? c.UpdatedAt : null))],
            WholeCitizen: true);
    }

    public async Task<IReadOnlyList<(string CitizenId, CourseRef Course)>> EndedCoursesAsync(DateTimeOffset endedBefore, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.Courses.AsNoTracking()
            .Where(c => EndedStatuses.Contains(c.Status) && c.UpdatedAt < endedBefore)
            .Select(c => new { c.CitizenId, c.Id, c.InstanceId, c.UpdatedAt }).ToListAsync(ct);
        return [.. rows.Select(r => (r.CitizenId, new CourseRef(r.Id, r.InstanceId, true, r.UpdatedAt)))];
    }

    public async Task<IReadOnlyList<string>> CitizensWithoutCoursesAsync(DateTimeOffset createdBefore, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Citizens.AsNoTracking()
            .Where(c => c.CreatedAt < createdBefore && !db.Courses.Any(k => k.CitizenId == c.Id))
            .Select(c => c.Id).ToListAsync(ct);
    }
}
