using System.Globalization;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Privacy;

/// <summary>
/// The citizen (alias and, when registered, the CPR number in clear: it is their own), each course (status, goal,
/// dates, focus areas, activity plan, support network, pauses) and each evaluation (scores and answers). Workers are
/// not named: the document says what is held about the citizen, not who did the work.
/// </summary>
public sealed class CtiCitizenDataExporter(CtiDbContextFactory contexts, ICprProtector? cprProtector = null) : ICitizenDataExporter
{
    public int Order => 0;

    public async Task<IReadOnlyList<CitizenDataSection>> ExportAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = contexts.Create();
        var citizen = await db.Citizens.AsNoTracking().FirstOrDefaultAsync(c => c.Id == scope.CitizenId, ct);
        var courseIds = scope.CourseIds;
        var courses = await db.Courses.AsNoTracking().Where(c => courseIds.Contains(c.Id)).OrderBy(c => c.StartDate).ToListAsync(ct);
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => courseIds.Contains(e.CourseId)).OrderBy(e => e.Date).ToListAsync(ct);
        var contacts = await db.Contacts.AsNoTracking().Where(c => courseIds.Contains(c.CourseId)).ToListAsync(ct);

        var sections = new List<CitizenDataSection>();
        if (citizen is not null)
        {
            var cpr = citizen.ProtectedCpr is null ? "ikke registreret (anonym)"
                : cprProtector is null ? "registreret (kan ikke læses uden nøglen)" : Format(cprProtector.Unprotect(citizen.ProtectedCpr));
            sections.Add(new("Borger", [new("Registrering", [
                new("Borger-id", citizen.Id), new("Kaldenavn", citizen.Alias), new("CPR-nummer", cpr), new("Registreret", Date(citizen.CreatedAt))])]));
        }

        sections.Add(new("Forløb", [.. courses.Select(Course)]));
        sections.Add(new("Evalueringer", [.. evaluations.Select(e => new CitizenDataRecord($"Evaluering {Date(e.Date)}", [
            new("Forløb", e.CourseId), new("Type", e.Kind, "evaluation."), new("Dato", Date(e.Date)),
            new("WHO-5 svar", e.Who5ItemsJson), new("WHO-5 score", e.Who5Score?.ToString(CultureInfo.InvariantCulture)),
            new("Betalt for sex (hyppighed)", e.PaidForSexFrequency), new("Livssituation (svar)", e.LifeSituationJson),
            new("Livssituation i alt", e.LifeSituationTotal?.ToString(CultureInfo.InvariantCulture))]))]));
        // Every revision: a correction does not hide what was first written down about the citizen.
        sections.Add(new("Kontakter", [.. contacts.OrderBy(c => c.StartedAt).ThenBy(c => c.ContactId).ThenBy(c => c.Revision)
            .Select(c => new CitizenDataRecord($"Kontakt {Date(c.StartedAt)}" + (c.Revision > 1 ? $" (rettelse {c.Revision - 1})" : ""), [
                new("Forløb", c.CourseId), new("Form", c.Kind, "contactKind."), new("Sted", c.Place, "place."),
                new("Varighed (minutter)", c.DurationMinutes.ToString(CultureInfo.InvariantCulture)), new("Notat", c.Note)]))]));
        return sections;
    }

    private static CitizenDataRecord Course(CourseRecord row)
    {
        var course = Domain.Course.Restore(CourseJson.Deserialize(row.StateJson));
        var fields = new List<CitizenDataField>
        {
            new("Forløb-id", row.Id), new("Status", row.Status, "status."), new("Mål", course.Goal.ToString(), "goal."),
            new("Nuværende periode", row.CurrentPeriod, "period."), new("Start", Date(row.StartDate)), new("Planlagt slut", Date(row.PlannedEnd)),
        };
        foreach (var (period, selection) in course.FocusAreas)
            fields.AddRange(selection.Areas.Select(a => new CitizenDataField($"Fokusområde ({Period(period)})", a.ToString(), "focus.")));
        foreach (var a in course.Activities)
            fields.Add(new($"Aktivitet ({Period(a.Phase)})", a.Text));
        foreach (var m in course.Network)
            fields.Add(new("Netværk", string.Join(" · ", new[] { m.Name, m.Organisation, m.Contact }.Where(s => !string.IsNullOrWhiteSpace(s)))));
        foreach (var p in course.Pauses)
            fields.Add(new("Pause", $"{Date(p.From)} – {(p.To is { } to ? Date(to) : "")}"));
        return new CitizenDataRecord($"Forløb startet {Date(row.StartDate)}", fields);
    }

    private static string Period(CoursePeriod period) => period switch
    {
        CoursePeriod.ContactPeriod => "kontaktskabelse",
        CoursePeriod.Phase1 => "fase 1",
        CoursePeriod.Phase2 => "fase 2",
        _ => "fase 3",
    };

    private static string Format(CprNumber cpr) => $"{cpr.Digits[..6]}-{cpr.Digits[6..]}";

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
