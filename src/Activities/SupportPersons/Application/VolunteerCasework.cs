using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.SupportPersons.Domain;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.SupportPersons.Application;

/// <summary>A citizen as her SKP sees her: the alias and the match, nothing else (no CPR, no course, no worker's notes).</summary>
public sealed record VolunteerCitizenView(Guid MatchId, string Alias, DateOnly Start, int HoursPerWeek, DateOnly? End);

/// <summary>A contact the SKP logged herself, with her own note.</summary>
public sealed record VolunteerContactView(Guid ContactId, string Kind, DateTimeOffset StartedAt, int DurationMinutes, string Place, string? Note);

/// <summary>A contact as the SKP enters it (kind and place as names), before validation.</summary>
public sealed record VolunteerContactInput(string? Kind, DateTimeOffset? StartedAt, int? DurationMinutes, string? Place, string? Note);

/// <summary>
/// What a signed-in SKP works with: her current matches by the citizen's alias, her own contacts on them, and logging a
/// contact in the course's contact log (the same log the CTI worker uses, <see cref="CtiCourseService.LogContactAsync"/>),
/// recorded by her and naming her network membership. A match that is not hers, not current, or whose SKP is not active is
/// answered as unknown. Whether the caller is the SKP is resolved from her user account here; the host decides the role.
/// </summary>
public sealed class VolunteerCasework(
    SupportPersonRegister register, SupportPersonMatching matching, CtiCourseService courses, CtiQueries queries,
    CtiDbContextFactory cti, TimeProvider clock)
{
    public async Task<IReadOnlyList<VolunteerCitizenView>> MyCitizensAsync(string? userName, CancellationToken ct)
    {
        var matches = await CurrentMatchesAsync(userName, ct);
        if (matches.Count == 0) return [];
        var citizenIds = matches.Select(m => m.CitizenId).Distinct().ToList();
        await using var db = cti.Create();
        var aliases = await db.Citizens.AsNoTracking().Where(c => citizenIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Alias, ct);
        return matches.Select(m => new VolunteerCitizenView(m.Id, aliases.GetValueOrDefault(m.CitizenId, "?"), m.Start, m.HoursPerWeek, m.End)).ToList();
    }

    /// <summary>The current match <paramref name="matchId"/> of this user's SKP, or null.</summary>
    public async Task<MatchView?> MyMatchAsync(string? userName, Guid matchId, CancellationToken ct) =>
        (await CurrentMatchesAsync(userName, ct)).FirstOrDefault(m => m.Id == matchId);

    public async Task<IReadOnlyList<VolunteerContactView>> MyContactsAsync(string userName, MatchView match, CancellationToken ct)
    {
        var all = await queries.ContactsAsync(match.CourseId, ct);
        return all.Where(c => string.Equals(c.RecordedBy, userName, StringComparison.OrdinalIgnoreCase))
            .GroupBy(c => c.ContactId).Select(g => g.OrderBy(c => c.Revision).Last())
            .OrderByDescending(c => c.StartedAt)
            .Select(c => new VolunteerContactView(c.ContactId, c.Kind.ToString(), c.StartedAt, c.DurationMinutes, c.Place.ToString(), c.Note))
            .ToList();
    }

    /// <summary>Logs her contact in the course's contact log (fields checked by the contact log's own rules, named by field).</summary>
    public async Task<VolunteerContactView> LogContactAsync(string userName, MatchView match, VolunteerContactInput input, CancellationToken ct)
    {
        var contact = await courses.LogContactAsync(match.CourseId,
            new ContactInput(input.Kind, input.StartedAt, input.DurationMinutes, input.Place, [userName], [match.NetworkMemberId], [], input.Note),
            userName, ct);
        return new VolunteerContactView(contact.ContactId, contact.Kind.ToString(), contact.StartedAt, contact.DurationMinutes, contact.Place.ToString(), contact.Note);
    }

    private async Task<IReadOnlyList<MatchView>> CurrentMatchesAsync(string? userName, CancellationToken ct)
    {
        var me = await register.FindByUserAsync(userName, ct);
        if (me is null || me.Status != nameof(SupportPersonStatus.Active)) return [];
        var today = SupervisionCalendar.Today(clock.GetUtcNow());
        return (await matching.MatchesOfAsync(me.Id, ct)).Where(m => m.IsCurrent(today)).ToList();
    }
}
