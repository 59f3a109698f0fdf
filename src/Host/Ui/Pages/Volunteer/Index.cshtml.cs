using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Host.Features.SupportPersons;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Volunteer;

/// <summary>
/// The volunteer support-and-contact person's page: the citizens currently matched to her by alias, her own contacts with
/// her notes, a form to log a contact per citizen, and her team's supervision dates with her own attendance and note. A
/// match is hers only when <see cref="ICaseloadAccess.IsMatchedSupportPersonAsync"/> says so; every read and change audited.
/// </summary>
public sealed class IndexModel(
    VolunteerCasework work, SupportPersonRegister register, SupervisionSeriesService series, ICaseloadAccess caseload, UiAccess access,
    TimeProvider clock, UiText text) : PageModel
{
    public static readonly ContactKind[] Kinds = [ContactKind.Phone, ContactKind.InPerson, ContactKind.TextChat, ContactKind.Video, ContactKind.Accompaniment, ContactKind.Attempted];

    public IReadOnlyList<VolunteerCitizenView> Citizens { get; private set; } = [];
    public IReadOnlyDictionary<Guid, IReadOnlyList<VolunteerContactView>> Contacts { get; private set; } = new Dictionary<Guid, IReadOnlyList<VolunteerContactView>>();
    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(bool logged, CancellationToken ct)
    {
        if (logged) Messages.Status = text["volunteer.logged"];
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostContactAsync(Guid matchId, string? kind, string? startedAt, int? durationMinutes, string? place, string? note, CancellationToken ct)
    {
        var me = UiAccess.UserName(User);
        var match = me is null ? null : await work.MyMatchAsync(me, matchId, ct);
        if (match is null || !await caseload.IsMatchedSupportPersonAsync(User, match.CourseId.ToString(), ct))
        {
            await access.RecordAsync(User, AuditAction.Change, "support-person-match", matchId.ToString(), VolunteerEndpoints.Purpose, ct);
            return NotFound();
        }

        DateTimeOffset? started = DateTime.TryParse(startedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local)
            ? CopenhagenCalendar.FromWallClock(local) : null;
        try
        {
            await work.LogContactAsync(me!, match, new VolunteerContactInput(kind, started, durationMinutes, place, note), ct);
            await access.RecordAsync(User, AuditAction.Change, "course", match.CourseId.ToString(), VolunteerEndpoints.Purpose + ": contact log", ct, match.CitizenId);
            return Redirect("/volunteer?logged=true");
        }
        catch (CtiValidationException e)
        {
            foreach (var field in e.Problems.Select(p => p.Field).Distinct())
                Messages.Errors.Add(text.Format("skp.invalid", text[field switch
                {
                    "kind" => "contact.kind", "startedAt" => "contact.startedAt", "durationMinutes" => "contact.duration", "place" => "contact.place",
                    "note" => "contact.note", _ => "contact.title",
                }]));
            await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var me = UiAccess.UserName(User);
        Citizens = await work.MyCitizensAsync(me, ct);
        var contacts = new Dictionary<Guid, IReadOnlyList<VolunteerContactView>>();
        foreach (var c in Citizens)
        {
            var match = await work.MyMatchAsync(me, c.MatchId, ct);
            if (match is null) continue;
            contacts[c.MatchId] = await work.MyContactsAsync(me!, match, ct);
            await access.RecordAsync(User, AuditAction.Read, "course", match.CourseId.ToString(), VolunteerEndpoints.Purpose, ct, match.CitizenId);
        }

        Contacts = contacts;
        var skp = await register.FindByUserAsync(me, ct);
        Sessions = skp is null ? [] : await series.SessionsOfAsync(skp.Id, ct);
        await access.RecordAsync(User, AuditAction.Search, "support-person-match", null, VolunteerEndpoints.Purpose, ct);
    }
}
