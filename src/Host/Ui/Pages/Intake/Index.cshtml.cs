using Exit.Activities.Cti.Application;
using Exit.Host.Features.Intake;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Intake;

/// <summary>
/// Henvendelser: the intake register for workers and managers — register an enquiry, record its decision (and, for a
/// worker, the course of theirs it led to), and the enquiry table per year, channel and outcome with cells 1–4 as "&lt;5".
/// Same checks as <c>/api/intake</c> (<see cref="IntakeInput"/>); every look and change is audited.
/// </summary>
public sealed class IntakeModel(IntakeRegister register, UiQueries queries, UiAccess access, ICaseloadAccess caseload, UiText text, TimeProvider clock)
    : PageModel
{

    public DateOnly Today { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public IReadOnlyList<EnquiryView> Items { get; private set; } = [];
    public IReadOnlyList<EnquiryCount> Table { get; private set; } = [];
    public IReadOnlyList<UiCourseRow> Courses { get; private set; } = [];
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(DateOnly? from, DateOnly? to, bool saved, CancellationToken ct)
    {
        if (saved) Messages.Status = text["intake.saved"];
        await LoadAsync(from, to, ct);
    }

    public async Task<IActionResult> OnPostRegisterAsync(string? receivedOn, string? channel, bool anonymous, string? alias, CancellationToken ct)
    {
        var problems = new List<ValidationFailure>();
        var enquiry = IntakeInput.ReadEnquiry(receivedOn, channel, anonymous, alias, IntakeEndpoints.Today(clock), problems);
        if (enquiry is null) return await RefuseAsync(problems, ct);
        var view = await register.RegisterAsync(enquiry.ReceivedOn, enquiry.Channel, enquiry.Anonymous, enquiry.Alias, UiAccess.UserName(User)!, ct);
        await access.RecordAsync(User, AuditAction.Change, "enquiry", view.Id.ToString(), "intake: register enquiry", ct);
        return Redirect("/intake?saved=true");
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid enquiryId, string? decision, string? courseId, CancellationToken ct)
    {
        var problems = new List<ValidationFailure>();
        var parsed = IntakeInput.ReadDecision(decision, courseId, problems);
        if (parsed?.CourseId is { } course && !await caseload.CanAccessCourseAsync(User, course.ToString(), ct))
            problems.Add(new("courseId", "No course with that id in your caseload."));
        if (problems.Count > 0 || parsed is null) return await RefuseAsync(problems, ct);
        if (await register.GetAsync(enquiryId, ct) is null)
        {
            problems.Add(new("enquiryId", "No such enquiry."));
            return await RefuseAsync(problems, ct);
        }

        await register.DecideAsync(enquiryId, parsed.Value.Decision, parsed.Value.CourseId, ct);
        await access.RecordAsync(User, AuditAction.Change, "enquiry", enquiryId.ToString(), "intake: decision", ct);
        return Redirect("/intake?saved=true");
    }

    private async Task<IActionResult> RefuseAsync(List<ValidationFailure> problems, CancellationToken ct)
    {
        Messages.Errors.AddRange(problems.Select(p => text["intake.invalid." + p.Field]));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(null, null, ct);
        return Page();
    }

    private async Task LoadAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        Today = IntakeEndpoints.Today(clock);
        (From, To) = IntakeEndpoints.Period(clock, from, to);
        if (To < From) (From, To) = (To, From);
        Items = await register.ListAsync(From, To, ct);
        Table = await register.TableAsync(From, To, ct);
        await access.RecordAsync(User, AuditAction.Search, "enquiry", null, "intake", ct);
        if (User.IsInRole(ExitRoles.Worker) && Items.Any(e => e.Decision is null))
        {
            Courses = await queries.CoursesOfAsync(UiAccess.UserName(User)!, ct);
            await access.RecordAsync(User, AuditAction.Search, "course", null, "intake: link a course", ct);
        }
    }
}
