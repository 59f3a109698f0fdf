using Exit.Host.Infrastructure.Audit;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>Active courses per worker against the limit of 20 per full-time worker, with open and overdue tasks.</summary>
public sealed class CaseloadModel(UiQueries queries, UiAccess access, UserManager<IdentityUser> users) : PageModel
{
    public IReadOnlyList<UiCaseloadRow> Rows { get; private set; } = [];

    /// <summary>Worker → their courses (ids, phase, dates; no citizen data), for reassigning a course.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<UiCourseRow>> Courses { get; private set; } = new Dictionary<string, IReadOnlyList<UiCourseRow>>();
    public int Limit => Caseload.MaxCitizensPerFullTimeWorker;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var workers = await Exit.Host.Infrastructure.Tenancy.UserMunicipalities.UserNamesInRoleAsync(users, ExitRoles.Worker, HttpContext.RequestAborted);
        Rows = await queries.CaseloadAsync(workers, ct);
        var courses = new Dictionary<string, IReadOnlyList<UiCourseRow>>();
        foreach (var row in Rows)
            courses[row.Worker] = (await queries.CoursesOfAsync(row.Worker, ct))
                .Where(c => c.Status is not (nameof(CourseStatus.Completed) or nameof(CourseStatus.Cancelled))).ToList();
        Courses = courses;
        await access.RecordAsync(User, AuditAction.Search, "caseload-figures", null, "management", ct);
    }
}
