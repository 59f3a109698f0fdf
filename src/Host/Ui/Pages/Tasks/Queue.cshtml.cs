using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Tasks;

/// <summary>
/// Fælles opgaver: the team queue, unassigned tasks of the roles the user holds, to claim (exactly once: the loser of
/// a race is told someone else took it) and release again. Same service and rules as <c>/api/tasks/queue</c>.
/// </summary>
public sealed class QueueModel(HumanTaskService tasks, TaskQueries queries, UiAccess access, UiText text, IAuditLog audit) : PageModel
{
    public IReadOnlyList<TaskSummary> Items { get; private set; } = [];
    public IReadOnlyList<TaskSummary> Claimed { get; private set; } = [];
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(bool released, CancellationToken ct)
    {
        if (released) Messages.Status = text["queue.released"];
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostClaimAsync(string taskId, CancellationToken ct)
    {
        var me = UiAccess.UserName(User)!;
        var task = await queries.GetAsync(taskId ?? "", ct);
        if (task is null || !TaskAccess.HoldsRoleOf(User, task.Role))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "task", taskId, null, "casework: claim from team queue", AuditOutcome.Denied), User, ct);
            Messages.Errors.Add(text["queue.gone"]);
            Response.StatusCode = StatusCodes.Status404NotFound;
            await LoadAsync(ct);
            return Page();
        }

        try
        {
            await tasks.ClaimAsync(task.Id, me, ct);
        }
        catch (TaskConflictException)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "task", task.Id, null, "casework: claim from team queue", AuditOutcome.Denied), User, ct);
            Messages.Errors.Add(text["queue.taken"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(ct);
            return Page();
        }

        await access.RecordAsync(User, AuditAction.Change, "task", task.Id, "casework: claim from team queue", ct);
        return Redirect($"/worker/tasks/{Uri.EscapeDataString(task.Id)}");
    }

    public async Task<IActionResult> OnPostReleaseAsync(string taskId, CancellationToken ct)
    {
        var me = UiAccess.UserName(User)!;
        try
        {
            await tasks.ReleaseAsync(taskId ?? "", me, ct);
        }
        catch (Exception e) when (e is TaskConflictException or TaskNotFoundException)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "task", taskId, null, "casework: release to team queue", AuditOutcome.Denied), User, ct);
            Messages.Errors.Add(text["queue.notYours"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(ct);
            return Page();
        }

        await access.RecordAsync(User, AuditAction.Change, "task", taskId, "casework: release to team queue", ct);
        return Redirect("/worker/queue?released=true");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var roles = ExitRoles.All.Where(User.IsInRole).ToList();
        Items = await tasks.QueueAsync(roles, ct, Exit.Host.Features.Tasks.TaskEndpoints.TeamQueue.NotQueued);
        Claimed = await tasks.ClaimedByAsync(UiAccess.UserName(User)!, ct);
        await access.RecordAsync(User, AuditAction.Search, "task", null, "casework: team queue", ct);
    }
}
