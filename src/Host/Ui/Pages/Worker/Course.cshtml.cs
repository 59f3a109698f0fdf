using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Worker;

/// <summary>One course of the worker's caseload: phases, timeline (done and upcoming), tasks; pause/resume, close a phase early.</summary>
public sealed class CourseModel(UiQueries queries, CtiQueries cti, CtiCourseService service, UiAccess access, UiText text) : PageModel
{
    public UiCourseRow? Course { get; private set; }
    public CourseTimelineView? Timeline { get; private set; }
    public bool Forbidden { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, bool changed, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Read, "casework", ct) is { } refused) return refused;
        if (changed) Messages.Status = text["course.changed"];
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, PauseReason reason, CancellationToken ct) =>
        ChangeAsync(id, "casework: pause", () => service.PauseAsync(id, reason, ct), ct);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "casework: resume", () => service.ResumeAsync(id, ct), ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CoursePeriod period, CancellationToken ct) =>
        ChangeAsync(id, "casework: close phase early", () => service.ClosePhaseAsync(id, period, ct), ct);

    private async Task<IActionResult> ChangeAsync(Guid id, string purpose, Func<Task> change, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Change, purpose, ct) is { } refused) return refused;
        try
        {
            await change();
        }
        catch (Exception e) when (e is CtiRuleViolation or CtiWorkflowStateException or CtiNotFoundException)
        {
            Messages.Errors.Add(e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect($"/worker/courses/{id}?changed=true");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, AuditAction action, string purpose, CancellationToken ct)
    {
        // A missing course and someone else's course look the same (404), and both are logged.
        if (!await access.CanReadCourseAsync(User, id, action, purpose, ct) || (Course = await queries.CourseAsync(id, ct)) is null)
        {
            Course = null;
            Forbidden = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Timeline = await cti.TimelineAsync(id, ct);
        return null;
    }
}
