using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>Hand a task (<c>?task=</c>) or a whole course with its open tasks (<c>?course=</c>) to another worker.</summary>
public sealed class ReassignModel(
    TaskQueries tasks, HumanTaskService taskService, CtiCourseService courses, UiQueries queries, UiAccess access, UiText text,
    UserManager<IdentityUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? TaskId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? CourseId { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public TaskDetails? Item { get; private set; }
    public UiCourseRow? Course { get; private set; }
    public IReadOnlyList<string> Workers { get; private set; } = [];
    public UiMessages Messages { get; } = new();

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "task")] string? task, [FromQuery(Name = "course")] Guid? course, CancellationToken ct)
    {
        TaskId = task ?? TaskId;
        CourseId = course ?? CourseId;
        return await LoadAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } notFound) return notFound;
        if (string.IsNullOrWhiteSpace(To))
        {
            Messages.Errors.Add(text["reassign.required"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var workers = await Exit.Host.Infrastructure.Tenancy.UserMunicipalities.UserNamesInRoleAsync(users, ExitRoles.Worker, HttpContext.RequestAborted);
        var match = workers.FirstOrDefault(w => string.Equals(w, To.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Messages.Errors.Add(text["reassign.unknown"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        To = match;
        var by = UiAccess.UserName(User);
        try
        {
            if (Item is not null)
            {
                await taskService.ReassignAsync(Item.Id, To, by, ct);
                await access.RecordAsync(User, AuditAction.Change, "task", Item.Id, "management: reassign", ct, Item.CorrelationId is { } c && Guid.TryParse(c, out var cid) ? (await queries.CourseRefAsync(cid, ct))?.CitizenId : null);
            }
            else
            {
                await courses.ReassignAsync(Course!.CourseId, To, Reason, by, ct);
                await access.RecordAsync(User, AuditAction.Change, "course", Course.CourseId.ToString(), "management: reassign", ct, Course.CitizenId);
            }
        }
        catch (Exception e) when (e is TaskConflictException or TaskValidationException or CtiRuleViolation or CtiWorkflowStateException or ArgumentException)
        {
            Messages.Errors.Add(e is CtiRuleViolation rule ? text.Rule(rule) : e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect("/manager/overdue?reassigned=" + Uri.EscapeDataString(To.Trim()));
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (TaskId is { Length: > 0 }) Item = await tasks.GetAsync(TaskId, ct);
        else if (CourseId is { } id) Course = await queries.CourseAsync(id, ct);
        if (Item is null && Course is null) return NotFound();
        var inRole = await Exit.Host.Infrastructure.Tenancy.UserMunicipalities.UserNamesInRoleAsync(users, ExitRoles.Worker, HttpContext.RequestAborted);
        Workers = inRole.Concat(await queries.KnownWorkersAsync(ct)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        return null;
    }
}
