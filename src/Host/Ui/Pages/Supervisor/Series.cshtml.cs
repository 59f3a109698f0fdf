using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Supervisor;

/// <summary>
/// The psychologist's supervision series: per SKP team this month's session (record it as held: date, format, attendance and
/// a note per SKP, which only she and that SKP read), the earlier and coming sessions; the workers' series beside them.
/// </summary>
public sealed class SeriesModel(SupervisionSeriesService series, UiAccess access, TimeProvider clock, UiText text) : PageModel
{
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<(Guid Id, string DisplayName)>> Members { get; private set; } = new Dictionary<string, IReadOnlyList<(Guid, string)>>();
    public DateOnly Today { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(bool held, CancellationToken ct)
    {
        if (held) Messages.Status = text["series.held"];
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostHoldAsync(Guid sessionId, string? heldOn, string? format, Guid[]? attended, CancellationToken ct)
    {
        var lines = new List<AttendanceInput>();
        foreach (var key in Request.Form.Keys.Where(k => k.StartsWith("note-", StringComparison.Ordinal)))
        {
            if (!Guid.TryParse(key["note-".Length..], out var person)) continue;
            lines.Add(new AttendanceInput(person, attended?.Contains(person) == true, Request.Form[key].ToString()));
        }

        try
        {
            await series.RecordAsync(sessionId, heldOn, format, lines, UiAccess.UserName(User) ?? "?", ct);
            await access.RecordAsync(User, AuditAction.Change, "supervision-session", sessionId.ToString(), "supervision", ct);
            return Redirect("/supervisor/series?held=true");
        }
        catch (SupportPersonNotFoundException)
        {
            return NotFound();
        }
        catch (SupportPersonValidationException e)
        {
            foreach (var field in e.Problems.Select(p => p.Field).Distinct())
                Messages.Errors.Add(text.Format("skp.invalid", text[field == "heldOn" ? "series.heldOn" : field == "format" ? "series.format" : "series.title"]));
            await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = SupervisionCalendar.Today(clock.GetUtcNow());
        var month = new DateOnly(Today.Year, Today.Month, 1);
        Series = await series.SeriesAsync(month.AddMonths(-6), month.AddMonths(1), withNotes: true, ct);
        Members = await series.TeamMembersAsync(ct);
        await access.RecordAsync(User, AuditAction.Search, "supervision-series", null, "supervision", ct);
    }
}
