using System.Text;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Exit.Host.Features.Reports;

/// <summary>
/// <c>GET /api/cti/outcome-report</c> (the course-level figures kept for existing callers, plus the per-citizen report),
/// <c>GET /api/cti/fidelity-report</c> and <c>GET /api/cti/report-export</c> (the anonymous aggregate file). Filters:
/// <c>year</c>, <c>quarter</c>, <c>team</c>, <c>worker</c>, <c>goal</c>, <c>completedOnly</c>. <c>Accept: text/csv</c>
/// answers CSV without suppressed cells. Managers only (<c>reports</c> policy); every call audited by the CTI filter, and
/// each CSV additionally as an export.
/// </summary>
public static class ReportEndpoints
{
    public sealed record OutcomeReportResponse(
        OutcomeReport Report, string ProgressionRule, CourseOutcomeCounts? Outcomes,
        CitizenOutcomeReport Citizens, string CountingRule, IReadOnlyList<ReportReference> References,
        IReadOnlyList<ReportThreshold> Thresholds, ReportFilter Filter);

    public sealed record FidelityReportResponse(FidelityReport Report, IReadOnlyList<ReportThreshold> Thresholds, ReportFilter Filter);

    /// <summary>A published figure the local figure can be read against (Exit Prostitution, SFI 17:13, quoted in the guide).</summary>
    public sealed record ReportReference(string Measure, string Published, ThresholdSource Source);

    public const string CountingRule =
        "Each citizen counts once, by their latest full course (the latest that got past the contact period; a citizen with none " +
        "counts by the latest course). Figures from fewer than 5 citizens are suppressed (\"<5\") and left out of CSV.";

    public static readonly IReadOnlyList<ReportReference> References =
    [
        new("who5_risk_share_paired", "2/3 → 1/3", ThresholdSource.Guide),
        new("paid_for_sex_share_paired", "1/2 → 1/5", ThresholdSource.Guide),
        new("progression_moderate_or_large_share", "91 %", ThresholdSource.Guide),
    ];

    public static RouteGroupBuilder MapCtiReports(this RouteGroupBuilder group)
    {
        group.MapGet("/cti/outcome-report", Outcome).WithName("CtiOutcomeReport");
        group.MapGet("/cti/fidelity-report", Fidelity).WithName("CtiFidelityReport");
        group.MapGet("/cti/report-export", Export).WithName("CtiReportExport");
        group.MapStaffing(); // the staffing (team, full-time equivalent) the fidelity report reads
        return group;
    }

    /// <summary>Reads and checks the filters; 400 naming each bad one.</summary>
    public static ReportFilter Filter(int? year, int? quarter, string? team, string? worker, string? goal, bool completedOnly)
    {
        var failures = new List<ValidationFailure>();
        if (year is < 2000 or > 2100) failures.Add(new("year", "A year between 2000 and 2100."));
        if (quarter is < 1 or > 4) failures.Add(new("quarter", "1–4."));
        if (quarter is not null && year is null) failures.Add(new("quarter", "A quarter needs a year."));
        CourseGoal? parsed = null;
        if (!string.IsNullOrWhiteSpace(goal) && (parsed = CtiReports.ParseGoal(goal)) is null)
            failures.Add(new("goal", $"One of {string.Join(", ", Enum.GetNames<CourseGoal>())}."));
        if (failures.Count > 0) throw new RequestValidationException(failures);
        return new ReportFilter(year, quarter, Blank(team), Blank(worker), parsed, completedOnly);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool WantsCsv(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    private static async Task<IResult> Outcome(
        HttpRequest request, [FromServices] CtiReports reports, CtiQueries queries, IAuditLog audit, CancellationToken ct,
        [FromQuery] int? year = null, [FromQuery] int? quarter = null, [FromQuery] string? team = null, [FromQuery] string? worker = null,
        [FromQuery] string? goal = null, [FromQuery] bool completedOnly = false, [FromQuery] Guid[]? courseId = null)
    {
        var filter = Filter(year, quarter, team, worker, goal, completedOnly);
        var citizens = await reports.OutcomeAsync(filter, ct);
        if (WantsCsv(request))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Export, "outcome-report", null, null, "management: outcome report CSV"), ct: CancellationToken.None);
            return Csv(ReportCsv.Outcome(citizens), "exit-udfald.csv");
        }

        var courses = await queries.OutcomeReportAsync(new OutcomeReportFilter(courseId, completedOnly), ct);
        return TypedResults.Ok(new OutcomeReportResponse(
            courses, CtiEndpoints.ProgressionRule, await queries.OutcomeCountsAsync(courseId, ct),
            citizens, CountingRule, References, reports.Options.Thresholds(), filter));
    }

    private static async Task<IResult> Fidelity(
        HttpRequest request, [FromServices] CtiReports reports, IAuditLog audit, CancellationToken ct,
        [FromQuery] int? year = null, [FromQuery] int? quarter = null, [FromQuery] string? team = null, [FromQuery] string? worker = null,
        [FromQuery] string? goal = null, [FromQuery] bool completedOnly = false)
    {
        var filter = Filter(year, quarter, team, worker, goal, completedOnly);
        var report = await reports.FidelityAsync(filter, ct);
        if (WantsCsv(request))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Export, "fidelity-report", null, null, "management: fidelity report CSV"), ct: CancellationToken.None);
            return Csv(ReportCsv.Fidelity(report), "exit-metodetroskab.csv");
        }

        return TypedResults.Ok(new FidelityReportResponse(report, reports.Options.Thresholds(), filter));
    }

    /// <summary>The anonymous aggregate file (always CSV): both reports, no team or worker breakdown names beyond the filter.</summary>
    private static async Task<IResult> Export(
        [FromServices] CtiReports reports, IAuditLog audit, TimeProvider clock, CancellationToken ct,
        [FromQuery] int? year = null, [FromQuery] int? quarter = null, [FromQuery] string? goal = null)
    {
        var filter = Filter(year, quarter, null, null, goal, false);
        var (file, name) = await AggregateAsync(reports, filter, clock, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Export, "report-export", null, null, "management: anonymous aggregate export"), ct: CancellationToken.None);
        return Csv(file, name);
    }

    /// <summary>
    /// The aggregate file: worker and team rows are dropped (they name staff and are local), everything else as in the CSVs,
    /// each row with the municipality, date and filter so files merge.
    /// </summary>
    public static async Task<(string File, string Name)> AggregateAsync(CtiReports reports, ReportFilter filter, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await reports.OutcomeAsync(filter, ct);
        outcome = outcome with { Breakdowns = outcome.Breakdowns.Where(b => b.Dimension is not ("worker" or "team")).ToList() };
        var fidelity = await reports.FidelityAsync(filter, ct);
        var today = DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(clock.GetUtcNow()).DateTime);
        var label = filter.Year is { } y ? filter.Quarter is { } q ? $"{y}-K{q}" : $"{y}" : "alle";
        if (filter.Goal is { } g) label += $" {g}";
        var municipality = reports.Options.Municipality;
        return (ReportCsv.Aggregate(outcome, fidelity, municipality, today, label), $"exit-aggregat-{Safe(municipality)}-{today:yyyy-MM-dd}.csv");
    }

    private static string Safe(string s) => new(s.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    public static IResult Csv(string content, string name) =>
        TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(content)).ToArray(), "text/csv; charset=utf-8", name);
}
