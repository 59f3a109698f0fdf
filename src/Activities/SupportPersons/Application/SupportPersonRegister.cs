using System.Text.Json;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.SupportPersons.Application;

public sealed record SupportPersonView(
    Guid Id, string DisplayName, string Team, IReadOnlyList<string> Languages, DateOnly AgreementStart, int HoursPerWeek,
    string AcuteAvailability, DateOnly? ConfidentialitySignedOn, string Status, string? UserName);

/// <summary>
/// The register of support-and-contact persons (SKP): register, change (profile, agreement, status) and list. A new team
/// gets its supervision series at once (<see cref="SupervisionSeriesService.EnsureTeamSeriesAsync"/>). Whether a linked
/// user account exists and holds the volunteer role is the host's check; one account links to at most one SKP.
/// Logs carry ids only.
/// </summary>
public sealed class SupportPersonRegister(
    SupportPersonsDbContextFactory contexts, SupervisionSeriesService series, TimeProvider clock, ILogger<SupportPersonRegister> logger)
{
    public async Task<IReadOnlyList<SupportPersonView>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.SupportPersons.AsNoTracking().OrderBy(s => s.Team).ThenBy(s => s.DisplayName).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    public async Task<SupportPersonView?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var key = id.ToString();
        return await db.SupportPersons.AsNoTracking().FirstOrDefaultAsync(s => s.Id == key, ct) is { } r ? ToView(r) : null;
    }

    /// <summary>The SKP a signed-in user is, or null (also for a paused or ended one: she keeps her profile, not her access).</summary>
    public async Task<SupportPersonView?> FindByUserAsync(string? userName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName)) return null;
        await using var db = contexts.Create();
        var rows = await db.SupportPersons.AsNoTracking().Where(s => s.UserName != null).ToListAsync(ct);
        return rows.Where(r => string.Equals(r.UserName, userName, StringComparison.OrdinalIgnoreCase)).Select(ToView).FirstOrDefault();
    }

    /// <summary>The user names linked to an SKP: their contact notes follow the SKP's confidentiality, not the municipality's.</summary>
    public async Task<IReadOnlySet<string>> LinkedUserNamesAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var names = await db.SupportPersons.AsNoTracking().Where(s => s.UserName != null).Select(s => s.UserName!).ToListAsync(ct);
        return names.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public async Task<SupportPersonView> RegisterAsync(SupportPersonProfile profile, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.Create();
        await EnsureUserFreeAsync(db, profile.UserName, null, ct);
        var record = new SupportPersonRecord
        {
            Id = Guid.CreateVersion7(now).ToString(), DisplayName = "", Team = "", LanguagesJson = "[]", AgreementStart = "", AcuteAvailability = "",
            Status = "", CreatedAt = now,
        };
        Apply(record, profile, now);
        db.SupportPersons.Add(record);
        await db.SaveChangesAsync(ct);
        await series.EnsureTeamSeriesAsync(profile.Team, ct);
        logger.LogInformation("Support person {SupportPersonId} registered", record.Id);
        return ToView(record);
    }

    public async Task<SupportPersonView> UpdateAsync(Guid id, SupportPersonProfile profile, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.Create();
        var key = id.ToString();
        var record = await db.SupportPersons.AsTracking().FirstOrDefaultAsync(s => s.Id == key, ct) ?? throw new SupportPersonNotFoundException("Support person", key);
        await EnsureUserFreeAsync(db, profile.UserName, key, ct);
        Apply(record, profile, now);
        record.Version++;
        await db.SaveChangesAsync(ct);
        await series.EnsureTeamSeriesAsync(profile.Team, ct);
        logger.LogInformation("Support person {SupportPersonId} changed ({Status})", record.Id, record.Status);
        return ToView(record);
    }

    private static async Task EnsureUserFreeAsync(SupportPersonsDbContext db, string? userName, string? self, CancellationToken ct)
    {
        if (userName is null) return;
        var linked = await db.SupportPersons.AsNoTracking().Where(s => s.UserName != null && s.Id != self).Select(s => s.UserName!).ToListAsync(ct);
        if (linked.Contains(userName, StringComparer.OrdinalIgnoreCase))
            throw new SupportPersonValidationException([new("userName", "This user account is already linked to another support-and-contact person.")]);
    }

    private static void Apply(SupportPersonRecord r, SupportPersonProfile p, DateTimeOffset now)
    {
        r.DisplayName = p.DisplayName;
        r.Team = p.Team;
        r.LanguagesJson = JsonSerializer.Serialize(p.Languages);
        r.AgreementStart = SupervisionCalendar.Key(p.AgreementStart);
        r.HoursPerWeek = p.HoursPerWeek;
        r.AcuteAvailability = p.AcuteAvailability;
        r.ConfidentialitySignedOn = p.ConfidentialitySignedOn is { } d ? SupervisionCalendar.Key(d) : null;
        r.Status = p.Status.ToString();
        r.UserName = p.UserName;
        r.UpdatedAt = now;
    }

    public static SupportPersonView ToView(SupportPersonRecord r) => new(
        Guid.Parse(r.Id), r.DisplayName, r.Team, JsonSerializer.Deserialize<List<string>>(r.LanguagesJson) ?? [], SupervisionCalendar.Parse(r.AgreementStart),
        r.HoursPerWeek, r.AcuteAvailability, r.ConfidentialitySignedOn is null ? null : SupervisionCalendar.Parse(r.ConfidentialitySignedOn), r.Status, r.UserName);
}
