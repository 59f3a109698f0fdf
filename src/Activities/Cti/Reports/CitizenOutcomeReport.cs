using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>When a measurement was taken: at the start, at the change to phase 2, at the change to phase 3, at the end.</summary>
public enum MeasurePoint
{
    Start,
    ToPhase2,
    ToPhase3,
    End,
}

/// <summary>The outcome figures at one <see cref="MeasurePoint"/>, each over the citizens measured there with that instrument.</summary>
public sealed record PointFigures(
    MeasurePoint Point,
    ReportFigure Who5Mean,
    ReportFigure Who5RiskShare,
    ReportFigure PaidForSexShare,
    ReportFigure LifeSituationMean,
    IReadOnlyDictionary<LifeArea, ReportFigure> AreaMeans,
    ReportFigure ModerateOrLargeSinceStart);

/// <summary>A start → end comparison over the same citizens (measured at both), as the evaluation reported it.</summary>
public sealed record PairedFigure(ReportFigure AtStart, ReportFigure AtEnd, int Measured, int NotMeasured);

/// <summary>How the counted citizens' courses stand: completed, dropped out (with reasons), ended at the clarification, ongoing.</summary>
public sealed record OutcomeStatus(
    ReportFigure Completed,
    ReportFigure DroppedOut,
    ReportFigure EndedAtClarification,
    ReportFigure Ongoing,
    IReadOnlyDictionary<string, ReportFigure> DropOutReasons);

/// <summary>One row of a breakdown (by goal, descriptor, period, team or worker).</summary>
public sealed record BreakdownRow(
    string Dimension,
    string Value,
    ReportFigure Citizens,
    ReportFigure Completed,
    ReportFigure DroppedOut,
    ReportFigure Ongoing,
    ReportFigure Who5RiskAtStart,
    ReportFigure Who5RiskAtEnd,
    ReportFigure PaidAtStart,
    ReportFigure PaidAtEnd,
    ReportFigure ModerateOrLarge);

/// <summary>
/// The outcome report per citizen. A citizen counts once, by their latest full course (the latest that got past the
/// contact period; a citizen with none counts by their latest course). Every figure carries its n and is suppressed
/// below <see cref="ReportOptions.SuppressBelow"/>.
/// </summary>
public sealed record CitizenOutcomeReport(
    ReportFigure Citizens,
    OutcomeStatus Status,
    PairedFigure Who5Risk,
    PairedFigure PaidForSex,
    ReportFigure ModerateOrLarge,
    ReportFigure Large,
    ReportFigure Moderate,
    int ProgressionMeasured,
    IReadOnlyList<PointFigures> Points,
    IReadOnlyList<BreakdownRow> Breakdowns);
