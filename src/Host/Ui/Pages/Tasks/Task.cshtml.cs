using Exit.Host.Infrastructure.Audit;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Tasks;

/// <summary>
/// One task: the form for its kind (<see cref="TaskForms.For"/>) and one submit button per allowed outcome. Evaluation
/// answers go through <see cref="CtiCourseService.RecordEvaluationAsync"/> (checked, scores computed); every other
/// completion through <see cref="HumanTaskService.CompleteAsync"/>. Both resume the course's workflow.
/// </summary>
public sealed class TaskModel(
    TaskQueries tasks, HumanTaskService taskService, CtiCourseService courses, CtiQueries cti, UiQueries queries, UiAccess access, UiText text,
    ILogger<TaskModel> logger) : PageModel
{
    /// <summary>The course's plan and network, for the phase review (mark activities) and the handover (choose the receiver).</summary>
    public CourseTimelineView? Course { get; private set; }

    public TaskDetails? Item { get; private set; }
    public TaskForm Form { get; private set; }
    public string? Alias { get; private set; }
    public bool Forbidden { get; private set; }

    /// <summary>Shown, not workable: a supervisor reading a worker's meeting note.</summary>
    public bool ReadOnly { get; private set; }

    /// <summary>A confidential note this user may not read: the page says so instead of showing empty fields as if nothing was written.</summary>
    public bool NoteWithheld { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Read, ct) is { } refused) return refused;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? outcome, CancellationToken ct)
    {
        if (await LoadAsync(id, AuditAction.Change, ct) is { } refused) return refused;
        var task = Item!;
        if (task.Status != HumanTaskStatus.Open) return Page();
        if (string.IsNullOrEmpty(outcome) || !task.AllowedOutcomes.Contains(outcome, StringComparer.Ordinal))
        {
            Messages.Errors.Add(text["task.outcomes"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var problems = new List<string>();
        var data = TaskForms.Read(Form, task.Kind, Request.Form, outcome, problems);
        if (problems.Count > 0)
        {
            Messages.Errors.AddRange(problems.Select(p => text[p]));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var by = UiAccess.UserName(User);
        try
        {
            if (Form == TaskForm.Evaluation && outcome == "Recorded" && Guid.TryParse(task.CorrelationId, out var courseId))
                await courses.RecordEvaluationAsync(courseId, task.Id, data, by, ct);
            else
                await taskService.CompleteAsync(task.Id, outcome, data, by, ct);
        }
        catch (Exception e) when (e is CtiRuleViolation or TaskConflictException or TaskValidationException or CtiWorkflowStateException)
        {
            logger.LogInformation("Task {TaskId} not completed: {Reason}", task.Id, e.GetType().Name);
            Messages.Errors.Add(e is CtiRuleViolation rule ? text.Rule(rule) : e.Message);
            Response.StatusCode = StatusCodes.Status409Conflict;
            Item = await tasks.GetAsync(id, ct) is { } reloaded ? await access.ForReaderAsync(User, reloaded, ct) : null;
            return Page();
        }

        return Redirect(task.Kind == Exit.Activities.Cti.Activities.CtiTaskKinds.Supervision && User.IsInRole(UiRoles.Supervisor)
            ? "/supervisor/sessions?held=1"
            : "/worker/tasks?completed=true");
    }

    private async Task<IActionResult?> LoadAsync(string id, AuditAction action, CancellationToken ct)
    {
        Item = await tasks.GetAsync(id, ct);
        if (Item is null || !await access.CanWorkOnTaskAsync(User, Item, action, ct))
        {
            Forbidden = true;
            Item = null;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Form = TaskForms.For(Item.Kind);
        ReadOnly = !await access.MayChangeTaskAsync(User, Item, ct);
        NoteWithheld = Item.Data is not null && !await access.MayReadNoteAsync(User, Item, ct);
        Item = await access.ForReaderAsync(User, Item, ct);
        // A supervisor reads the note to supervise its author, not to know the citizen: no alias.
        if (!ReadOnly && Guid.TryParse(Item.CorrelationId, out var courseId) && Item.Kind != Exit.Activities.Cti.Activities.CtiTaskKinds.Supervision)
            Alias = (await queries.CourseAsync(courseId, ct))?.Alias;
        if (!ReadOnly && Form is TaskForm.ActivityPlan or TaskForm.Handover && Guid.TryParse(Item.CorrelationId, out var planCourse))
            Course = await cti.TimelineAsync(planCourse, ct);
        return null;
    }

    /// <summary>The posted value of a field (re-shown after a validation error), or the saved data of a completed task.</summary>
    public string Value(string name)
    {
        if (HttpMethods.IsPost(Request.Method) && Request.HasFormContentType) return Request.Form[name].ToString();
        if (Item?.Data is not JsonObject o) return "";
        JsonNode? node = name switch
        {
            _ when name.StartsWith("who5_", StringComparison.Ordinal) && int.TryParse(name[5..], out var i) => o["who5"] is JsonArray a && i < a.Count ? a[i] : null,
            _ when name.StartsWith("life_", StringComparison.Ordinal) => o["lifeSituation"]?[name[5..]],
            _ when name.StartsWith("activity", StringComparison.Ordinal) && name.Length > 9 && int.TryParse(name[8..9], out var row) =>
                o["activities"] is JsonArray rows && row < rows.Count ? rows[row]?[name[10..] switch { "area" => "focusArea", var f => f }] : null,
            _ => o[name],
        };
        return node is JsonValue v ? v.ToString() : "";
    }

    public bool Checked(string name, string value)
    {
        if (HttpMethods.IsPost(Request.Method) && Request.HasFormContentType) return Request.Form[name].Contains(value);
        if (Item?.Data is not JsonObject o) return false;
        return o[name] switch
        {
            JsonArray a => a.Any(x => x?.ToString() == value),
            JsonValue v => v.ToString() == value || (value == "true" && v.ToString() == "True"),
            _ => false,
        };
    }
}
