using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Worker;

/// <summary>Start a course for a new citizen (alias required, CPR optional: anonymous is allowed); the signed-in worker is responsible.</summary>
public sealed class NewCourseModel(CtiCourseService service, UiAccess access, UiText text, ILogger<NewCourseModel> logger) : PageModel
{
    [BindProperty] public string? Alias { get; set; }
    [BindProperty] public string? Cpr { get; set; }
    [BindProperty] public CourseGoal Goal { get; set; } = CourseGoal.Exit;
    public UiMessages Messages { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Alias))
        {
            Messages.Errors.Add(text["newCourse.aliasRequired"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var worker = UiAccess.UserName(User)!;
        try
        {
            var citizen = await service.CreateCitizenAsync(Alias.Trim(), string.IsNullOrWhiteSpace(Cpr) ? null : Cpr.Trim(), ct);
            var started = await service.StartCourseAsync(citizen, worker, Goal, null, 1m, ct);
            await access.RecordAsync(User, AuditAction.Change, "course", started.CourseId.ToString(), "casework: start course", ct, citizen.ToString());
            return Redirect($"/worker/courses/{started.CourseId}");
        }
        catch (Exception e) when (e is CtiRuleViolation or CtiWorkflowStateException or InvalidOperationException
                                      or Exit.Workflows.Execution.WorkflowDefinitionNotFoundException)
        {
            logger.LogInformation("Course not started: {Reason}", e.GetType().Name);
            Messages.Errors.Add(e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
    }
}
