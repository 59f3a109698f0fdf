using Exit.Activities.Cti.Domain;
using Exit.Host.Features.National;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.National;

/// <summary>
/// "Nationale tal": the cross-municipality report (<see cref="NationalReportService"/>) for the national role. The
/// page only filters, draws and audits; every hidden cell arrives hidden.
/// </summary>
[Authorize(Policy = NationalPolicies.Report)]
public sealed class ReportModel(NationalReportService reports, UiAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public int? Quarter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Goal { get; set; }

    public NationalReport Report { get; private set; } = null!;
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public static CourseGoal[] Goals => Enum.GetValues<CourseGoal>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Aggregates only, but still not for a shared cache.
        Response.Headers.CacheControl = "no-store";
        NationalFilter filter;
        try
        {
            filter = NationalEndpoints.Filter(Year, Quarter, Goal);
        }
        catch (RequestValidationException e)
        {
            Problems = e.Failures.Select(f => f.Field).Distinct(StringComparer.Ordinal).ToList();
            filter = new NationalFilter(null, null, null);
        }

        Report = await reports.ComputeAsync(filter, ct);
        await access.RecordAsync(User, AuditAction.Read, NationalEndpoints.ResourceType, null, NationalEndpoints.Purpose, ct);
        return Page();
    }
}
