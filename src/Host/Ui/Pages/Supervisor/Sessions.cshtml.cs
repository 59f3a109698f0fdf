using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Supervisor;

/// <summary>
/// Supervision sessions (open supervision tasks grouped by date, supervisor and group) from a month back to two
/// months ahead, with their participants (the responsible workers of the courses); a session can be recorded as held.
/// </summary>
public sealed class SessionsModel(CtiQueries cti, CtiCourseService service, UiQueries queries, UiAccess access, TimeProvider clock, UiText text) : PageModel
{
    public IReadOnlyList<SupervisionSession> Sessions { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Workers { get; private set; } = new Dictionary<string, string>();
    public DateTimeOffset Now { get; private set; }
    public UiMessages Messages { get; } = new();

    public async Task OnGetAsync(int? held, CancellationToken ct)
    {
        if (held is { } n) Messages.Status = text.Format("supervision.held", n);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostHoldAsync(string[] taskIds, CancellationToken ct)
    {
        if (taskIds.Length == 0) return Redirect("/supervisor/sessions");
        var done = await service.HoldSupervisionSessionAsync(taskIds, UiAccess.UserName(User), ct);
        await access.RecordAsync(User, AuditAction.Change, "supervision-session", string.Join(",", taskIds), "supervision", ct);
        return Redirect($"/supervisor/sessions?held={done}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Sessions = await cti.SupervisionSessionsAsync(Now.AddDays(-31), Now.AddDays(62), ct);
        Workers = await queries.WorkersOfAsync(Sessions.SelectMany(s => s.CourseIds), ct);
        await access.RecordAsync(User, AuditAction.Search, "supervision-sessions", null, "supervision", ct);
    }
}
