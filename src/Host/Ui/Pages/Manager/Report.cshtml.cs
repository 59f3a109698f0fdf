using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Exit.Host.Ui.Pages.Manager;

/// <summary>
/// The outcome report per citizen (see <see cref="OutcomeCalculator"/>): WHO-5, paid for sex and the ten life areas at
/// start, each phase change and end, how courses ended, breakdowns, thresholds with their source, CSV and the anonymous
/// aggregate export. The computation lives in the report service; this page only filters, draws and audits.
/// </summary>
public sealed class ReportModel(CtiReports reports, UiAccess access, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public int? Quarter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Team { get; set; }
    [BindProperty(SupportsGet = true)] public string? Worker { get; set; }
    [BindProperty(SupportsGet = true)] public string? Goal { get; set; }
    [BindProperty(SupportsGet = true)] public bool CompletedOnly { get; set; }

    public CitizenOutcomeReport Report { get; private set; } = null!;
    public IReadOnlyList<string> Teams { get; private set; } = [];
    public IReadOnlyList<string> Workers { get; private set; } = [];
    public IReadOnlyList<ReportThreshold> Thresholds => reports.Options.Thresholds();
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The filters as a query string, for the CSV and export links.</summary>
    public string Query => QueryString.Create(new Dictionary<string, string?>
    {
        ["year"] = Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["quarter"] = Quarter?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["team"] = Team, ["worker"] = Worker, ["goal"] = Goal, ["completedOnly"] = CompletedOnly ? "true" : null,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().TrimStart('?');

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Page();
        await access.RecordAsync(User, AuditAction.Read, "outcome-report", null, "management: outcome report", ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return BadRequest();
        await access.RecordAsync(User, AuditAction.Export, "outcome-report", null, "management: outcome report CSV", ct);
        return File(Bytes(ReportCsv.Outcome(Report)), "text/csv; charset=utf-8", "exit-udfald.csv");
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var filter = TryFilter();
        if (filter is null) return BadRequest();
        var (file, name) = await ReportEndpoints.AggregateAsync(reports, filter with { Team = null, Worker = null, CompletedOnly = false }, clock, ct);
        await access.RecordAsync(User, AuditAction.Export, "report-export", null, "management: anonymous aggregate export", ct);
        return File(Bytes(file), "text/csv; charset=utf-8", name);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        (Teams, Workers) = await reports.ChoicesAsync(ct);
        var filter = TryFilter() ?? new ReportFilter();
        Report = await reports.OutcomeAsync(filter, ct);
        return Problems.Count == 0;
    }

    private ReportFilter? TryFilter()
    {
        try
        {
            return ReportEndpoints.Filter(Year, Quarter, Team, Worker, Goal, CompletedOnly);
        }
        catch (RequestValidationException e)
        {
            Problems = e.Failures.Select(f => f.Field).ToList();
            return null;
        }
    }

    private static byte[] Bytes(string csv) => System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv)).ToArray();

    public static CourseGoal[] Goals => Enum.GetValues<CourseGoal>();
}
