using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Worker;

/// <summary>Mine borgere: the worker's caseload by alias, each course with its phases and next steps.</summary>
public sealed class CitizensModel(UiQueries queries, CtiQueries cti, UiAccess access) : PageModel
{
    public IReadOnlyList<(UiCourseRow Course, CourseTimelineView? Timeline)> Courses { get; private set; } = [];
    public int Active { get; private set; }
    public int Limit => Caseload.MaxCitizensPerFullTimeWorker;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var name = UiAccess.UserName(User)!;
        var rows = await queries.CoursesOfAsync(name, ct);
        var list = new List<(UiCourseRow, CourseTimelineView?)>();
        foreach (var row in rows) list.Add((row, await cti.TimelineAsync(row.CourseId, ct)));
        Courses = list;
        Active = rows.Count(r => r.Status is not (nameof(CourseStatus.Completed) or nameof(CourseStatus.Cancelled)));
        await access.RecordAsync(User, AuditAction.Search, "course", null, "casework: my citizens", ct);
        foreach (var row in rows) await access.RecordAsync(User, AuditAction.Read, "course", row.CourseId.ToString(), "casework: my citizens", ct, row.CitizenId);
    }
}
