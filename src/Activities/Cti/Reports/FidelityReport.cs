using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// One fidelity item: what CTI asks (target, as text in the item's own terms), where that comes from, the figure and
/// its n. <see cref="Met"/> is null when there is no figure or no target to meet.
/// </summary>
public sealed record FidelityItem(string Key, string Target, ThresholdSource Source, ReportFigure Figure, bool? Met);

/// <summary>Per phase: contacts with the citizen per week, share of coordination contacts, focus areas chosen.</summary>
public sealed record PhaseFidelity(
    CoursePeriod Phase,
    ReportFigure ContactsPerWeek,
    double ExpectedContactsPerWeek,
    ReportFigure CoordinationShare,
    ReportFigure FocusAreasMean,
    int Courses);

/// <summary>Caseload at the end of one month (or now, for the running month): active courses against capacity (limit × FTE).</summary>
public sealed record CaseloadMonth(DateOnly Month, int ActiveCourses, int Capacity, int Workers, int WorkersOverLimit, int WorkersWithCourses);

/// <summary>The CTI fidelity report: items with target, source, figure and n; the per-phase table; caseload and supervision per month.</summary>
public sealed record FidelityReport(
    IReadOnlyList<FidelityItem> Items,
    IReadOnlyList<PhaseFidelity> Phases,
    IReadOnlyList<CaseloadMonth> Caseload,
    IReadOnlyList<SupervisionMonth> Supervision,
    int Courses);
