using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>The two reports as the API and pages ask for them: load once, compute with the configured thresholds.</summary>
public sealed class CtiReports(ReportData data, ISupervisionHeld supervision, ReportOptions options, TimeProvider clock)
{
    public ReportOptions Options => options;

    public async Task<CitizenOutcomeReport> OutcomeAsync(ReportFilter filter, CancellationToken ct) =>
        OutcomeCalculator.Compute(await data.CoursesAsync(ReportParts.Outcomes, ct), filter, options);

    public async Task<FidelityReport> FidelityAsync(ReportFilter filter, CancellationToken ct)
    {
        var loading = data.CoursesAsync(ReportParts.Fidelity, ct);
        var staffing = await data.StaffingAsync(ct);
        var courses = await loading;
        var now = clock.GetUtcNow();
        IReadOnlySet<string>? scope = string.IsNullOrEmpty(filter.Team) && string.IsNullOrEmpty(filter.Worker)
            ? null
            : courses.Where(c => filter with { Year = null, Quarter = null, Goal = null, CompletedOnly = false } is var f && f.Matches(c))
                .Select(c => c.Course.Id.Value.ToString()).ToHashSet(StringComparer.Ordinal);
        var held = await supervision.PerMonthAsync(FidelityCalculator.MonthsOf(filter, now), scope, ct);
        return FidelityCalculator.Compute(courses, staffing, held, filter, options, now);
    }

    /// <summary>The teams and workers the filters offer.</summary>
    public async Task<(IReadOnlyList<string> Teams, IReadOnlyList<string> Workers)> ChoicesAsync(CancellationToken ct)
    {
        var staffing = await data.StaffingAsync(ct);
        var responsible = await data.ResponsibleWorkersAsync(ct);
        var teams = staffing.Select(s => s.Team).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var workers = staffing.Select(s => s.Worker).Concat(responsible).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (teams, workers);
    }

    public static CourseGoal? ParseGoal(string? goal) => Enum.TryParse<CourseGoal>(goal, ignoreCase: true, out var g) && Enum.IsDefined(g) ? g : null;
}
