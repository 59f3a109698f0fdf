using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Features.National;

/// <summary>
/// The cross-municipality report: for each municipality (<see cref="ITenantDirectory"/>) the existing outcome and
/// fidelity reports, computed inside that municipality's <see cref="TenantScope"/> (the stores' tenant filters then see
/// only its rows), kept as aggregates only; the totals; small-number protection over the whole table.
/// </summary>
/// <remarks>
/// The municipality reports are computed with suppression off (<see cref="ReportOptions.SuppressBelow"/> = 1), because a
/// total must be added from exact figures; the national table then suppresses every cell once, primary and
/// complementary together (<see cref="NationalReportBuilder"/>). Nothing citizen-level leaves this method: the per-week
/// rates' total is computed over all municipalities' courses at once (a rate cannot be added), from copies stripped of
/// evaluations and descriptors, dropped as soon as the total is computed.
/// </remarks>
public sealed class NationalReportService(
    ITenantDirectory tenants, ReportData data, ISupervisionHeld supervision, ReportOptions options, TimeProvider clock,
    ILogger<NationalReportService> log)
{
    public int SuppressBelow => options.SuppressBelow;

    public async Task<NationalReport> ComputeAsync(NationalFilter filter, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var exact = Unsuppressed(options);
        var reportFilter = new ReportFilter(filter.Year, filter.Quarter, Goal: filter.Goal);
        var now = clock.GetUtcNow();
        var months = FidelityCalculator.MonthsOf(reportFilter, now);
        var municipalities = new List<NationalFigures.Municipality>();
        var pooled = new List<ReportCourse>();
        var list = (await tenants.ListAsync(ct))
            .Where(t => t.Id != TenantIds.Templates) // the template library holds no citizens
            .OrderBy(t => t.Name, StringComparer.Create(CultureInfo.GetCultureInfo("da-DK"), ignoreCase: true))
            .ToList();
        foreach (var tenant in list)
        {
            using (TenantScope.Enter(tenant.Id))
            {
                var courses = await data.CoursesAsync(ReportParts.Outcomes | ReportParts.Fidelity, ct);
                var staffing = await data.StaffingAsync(ct);
                var held = await supervision.PerMonthAsync(months, null, ct);
                municipalities.Add(new(
                    new NationalMunicipality(tenant.Id, tenant.Name),
                    OutcomeCalculator.Compute(courses, reportFilter, exact),
                    FidelityCalculator.Compute(courses, staffing, held, reportFilter, exact, now)));
                pooled.AddRange(courses.Select(c => c with { Evaluations = [], Descriptors = TargetGroupDescriptors.None }));
            }
        }

        // Staffing and supervision are per municipality: the pooled report is read for its per-phase rates only.
        var pooledFidelity = FidelityCalculator.Compute(pooled, [], [], reportFilter, exact, now);
        pooled.Clear();
        var report = NationalReportBuilder.Build(municipalities, pooledFidelity, filter, options.SuppressBelow, now);
        log.LogInformation("National report over {Municipalities} municipalities in {ElapsedMs} ms",
            municipalities.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>
    /// The configured thresholds with suppression off. Copied through JSON so a threshold added to <see cref="ReportOptions"/>
    /// later is carried over without a change here.
    /// </summary>
    private static ReportOptions Unsuppressed(ReportOptions configured)
    {
        var copy = JsonSerializer.Deserialize<ReportOptions>(JsonSerializer.Serialize(configured))!;
        copy.SuppressBelow = 1;
        return copy;
    }
}
