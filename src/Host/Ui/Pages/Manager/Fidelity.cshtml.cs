using Exit.Activities.Cti.Reports;
using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// The CTI fidelity report (see <see cref="FidelityCalculator"/>): each item with target, source, figure and n; contacts
/// and coordination per phase; caseload against the limit and supervision per month. Filters as the outcome report.
/// </summary>
public sealed class FidelityModel(CtiReports reports, UiAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public int? Quarter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Team { get; set; }
    [BindProperty(SupportsGet = true)] public string? Worker { get; set; }
    [BindProperty(SupportsGet = true)] public string? Goal { get; set; }

    public FidelityReport Report { get; private set; } = null!;
    public IReadOnlyList<string> Teams { get; private set; } = [];
    public IReadOnlyList<string> Workers { get; private set; } = [];
    public IReadOnlyList<ReportThreshold> Thresholds => reports.Options.Thresholds();
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public string Query => QueryString.Create(new Dictionary<string, string?>
    {
        ["year"] = Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["quarter"] = Quarter?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["team"] = Team, ["worker"] = Worker, ["goal"] = Goal,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().TrimStart('?');

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await access.RecordAsync(User, AuditAction.Read, "fidelity-report", null, "management: fidelity report", ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return BadRequest();
        await access.RecordAsync(User, AuditAction.Export, "fidelity-report", null, "management: fidelity report CSV", ct);
        return File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(ReportCsv.Fidelity(Report))).ToArray(),
            "text/csv; charset=utf-8", "exit-metodetroskab.csv");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        (Teams, Workers) = await reports.ChoicesAsync(ct);
        ReportFilter filter;
        try
        {
            filter = ReportEndpoints.Filter(Year, Quarter, Team, Worker, Goal, false);
        }
        catch (RequestValidationException e)
        {
            Problems = e.Failures.Select(f => f.Field).ToList();
            filter = new ReportFilter();
        }

        Report = await reports.FidelityAsync(filter, ct);
        return Problems.Count == 0;
    }
}
