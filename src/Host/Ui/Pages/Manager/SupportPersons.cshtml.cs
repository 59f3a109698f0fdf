using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Host.Features.SupportPersons;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// The SKP register and matching for the manager: register an SKP, change her status, match an active SKP to a running
/// course (by course id and responsible worker; manager pages show no citizen data). The same checks as the API
/// (<see cref="SupportPersonEndpoints.ReadAsync"/>, <see cref="SupportPersonMatching.MatchAsync"/>); every change audited.
/// </summary>
public sealed class SupportPersonsModel(
    SupportPersonRegister register, SupportPersonMatching matching, UserManager<IdentityUser> users, UiAccess access, TimeProvider clock, UiText text) : PageModel
{
    public IReadOnlyList<SupportPersonView> People { get; private set; } = [];
    public IReadOnlyList<MatchableCourse> Courses { get; private set; } = [];
    public IReadOnlyList<MatchView> Matches { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        if (done is { Length: > 0 }) Messages.Status = text["skp." + done];
        await LoadAsync(ct);
        await access.RecordAsync(User, AuditAction.Search, "support-person", null, "support-person scheme", ct);
    }

    public async Task<IActionResult> OnPostRegisterAsync(
        string? displayName, string? team, string? languages, string? agreementStart, int? hoursPerWeek, string? acuteAvailability,
        string? confidentialitySignedOn, string? userName, CancellationToken ct)
    {
        try
        {
            var profile = await SupportPersonEndpoints.ReadAsync(new SupportPersonEndpoints.SupportPersonRequest(
                displayName, team, languages?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), agreementStart,
                hoursPerWeek, acuteAvailability, confidentialitySignedOn, nameof(SupportPersonStatus.Active), userName), users, clock, ct);
            var view = await register.RegisterAsync(profile, ct);
            await access.RecordAsync(User, AuditAction.Change, "support-person", view.Id.ToString(), "support-person scheme: register", ct);
            return Redirect("/manager/support-persons?done=registered");
        }
        catch (SupportPersonValidationException e)
        {
            return await FailAsync(e, ct);
        }
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, string? status, CancellationToken ct)
    {
        var current = await register.GetAsync(id, ct);
        if (current is null) return NotFound();
        try
        {
            var profile = await SupportPersonEndpoints.ReadAsync(new SupportPersonEndpoints.SupportPersonRequest(
                current.DisplayName, current.Team, [.. current.Languages], SupervisionCalendar.Key(current.AgreementStart), current.HoursPerWeek,
                current.AcuteAvailability, current.ConfidentialitySignedOn is { } d ? SupervisionCalendar.Key(d) : null, status, current.UserName), users, clock, ct);
            await register.UpdateAsync(id, profile, ct);
            await access.RecordAsync(User, AuditAction.Change, "support-person", id.ToString(), "support-person scheme: change", ct);
            return Redirect("/manager/support-persons?done=statusChanged");
        }
        catch (SupportPersonValidationException e)
        {
            return await FailAsync(e, ct);
        }
    }

    public async Task<IActionResult> OnPostMatchAsync(Guid supportPersonId, Guid? courseId, string? start, int? hoursPerWeek, string? end, CancellationToken ct)
    {
        try
        {
            var match = await matching.MatchAsync(supportPersonId, new MatchInput(courseId, start, hoursPerWeek, end), UiAccess.UserName(User) ?? "?", ct);
            await access.RecordAsync(User, AuditAction.Change, "course", match.CourseId.ToString(), "support-person scheme: match", ct, match.CitizenId);
            return Redirect("/manager/support-persons?done=matched");
        }
        catch (SupportPersonValidationException e)
        {
            return await FailAsync(e, ct);
        }
        catch (SupportPersonNotFoundException)
        {
            return NotFound();
        }
    }

    private async Task<IActionResult> FailAsync(SupportPersonValidationException e, CancellationToken ct)
    {
        foreach (var field in e.Problems.Select(p => p.Field).Distinct()) Messages.Errors.Add(text.Format("skp.invalid", text[FieldLabel(field)]));
        await LoadAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>The form label of an API field, so the page names the field in Danish.</summary>
    public static string FieldLabel(string field) => field switch
    {
        "displayName" => "skp.displayName",
        "team" => "skp.team",
        "languages" => "skp.languages",
        "agreementStart" => "skp.agreementStart",
        "hoursPerWeek" => "skp.hours",
        "acuteAvailability" => "skp.acute",
        "confidentialitySignedOn" => "skp.signed",
        "status" => "skp.status",
        "userName" => "skp.userName",
        "supportPersonId" => "skp.match.person",
        "courseId" => "skp.match.course",
        "start" => "skp.match.start",
        "end" => "skp.match.end",
        _ => "skp.title",
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = SupervisionCalendar.Today(clock.GetUtcNow());
        People = await register.ListAsync(ct);
        Courses = await matching.MatchableCoursesAsync(ct);
        Matches = await matching.AllMatchesAsync(ct);
    }
}
