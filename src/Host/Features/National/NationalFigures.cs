using System.Globalization;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Reports;

namespace Exit.Host.Features.National;

/// <summary>
/// Which figures of the outcome and fidelity reports the national report carries, how each is read from one
/// municipality's (unsuppressed) report and how the municipalities combine into the total. Only aggregates: no
/// breakdown by team, worker or target-group descriptor (those are local and small), no drop-out reasons.
/// </summary>
public static class NationalFigures
{
    public sealed record Figure(string Key, string Section, FigureKind Kind, bool AboutCitizens = true);

    /// <summary>A municipality's figures, computed with suppression off (the national table suppresses once, for all cells together).</summary>
    public sealed record Municipality(NationalMunicipality Info, CitizenOutcomeReport Outcome, FidelityReport Fidelity);

    public const string Citizens = "outcome.citizens";

    /// <summary>The status counts: they add up to <see cref="Citizens"/> in every column.</summary>
    public static readonly IReadOnlyList<string> StatusParts =
        ["outcome.completed", "outcome.droppedOut", "outcome.endedAtClarification", "outcome.ongoing"];

    public static readonly IReadOnlyList<Figure> All = Build();

    private static List<Figure> Build()
    {
        var list = new List<Figure> { new(Citizens, "outcome", FigureKind.Count) };
        list.AddRange(StatusParts.Select(k => new Figure(k, "outcome", FigureKind.Count)));
        list.Add(new("outcome.who5RiskPaired.start", "outcome", FigureKind.Share));
        list.Add(new("outcome.who5RiskPaired.end", "outcome", FigureKind.Share));
        list.Add(new("outcome.paidForSexPaired.start", "outcome", FigureKind.Share));
        list.Add(new("outcome.paidForSexPaired.end", "outcome", FigureKind.Share));
        list.Add(new("outcome.progressionModerateOrLarge", "outcome", FigureKind.Share));
        foreach (var p in Enum.GetValues<MeasurePoint>()) list.Add(new($"outcome.who5Risk.{p}", "outcome", FigureKind.Share));
        foreach (var p in Enum.GetValues<MeasurePoint>()) list.Add(new($"outcome.paidForSex.{p}", "outcome", FigureKind.Share));
        foreach (var p in Enum.GetValues<MeasurePoint>()) list.Add(new($"outcome.who5Mean.{p}", "outcome", FigureKind.Mean));
        foreach (var p in Enum.GetValues<MeasurePoint>()) list.Add(new($"outcome.lifeSituationMean.{p}", "outcome", FigureKind.Mean));
        foreach (var p in FidelityCalculator.Phases) list.Add(new($"fidelity.contactsPerWeek.{p}", "fidelity", FigureKind.Rate));
        foreach (var p in FidelityCalculator.Phases) list.Add(new($"fidelity.coordinationShare.{p}", "fidelity", FigureKind.Rate));
        list.Add(new("fidelity.handoverOnTime", "fidelity", FigureKind.Share));
        // Staffing and supervision per month: about the municipality's workers, not citizens (the fidelity report shows them unsuppressed too).
        list.Add(new("fidelity.caseloadWithinLimit", "fidelity", FigureKind.Share, AboutCitizens: false));
        list.Add(new("fidelity.workersSharing", "fidelity", FigureKind.Share, AboutCitizens: false));
        list.Add(new("fidelity.supervisionWorkers", "fidelity", FigureKind.Share, AboutCitizens: false));
        list.Add(new("fidelity.supervisionSupportPersons", "fidelity", FigureKind.Share, AboutCitizens: false));
        return list;
    }

    /// <summary>One municipality's figure, exact.</summary>
    public static RawCell Read(Figure figure, CitizenOutcomeReport outcome, FidelityReport fidelity)
    {
        var f = figure.Key switch
        {
            Citizens => outcome.Citizens,
            "outcome.completed" => outcome.Status.Completed,
            "outcome.droppedOut" => outcome.Status.DroppedOut,
            "outcome.endedAtClarification" => outcome.Status.EndedAtClarification,
            "outcome.ongoing" => outcome.Status.Ongoing,
            "outcome.who5RiskPaired.start" => outcome.Who5Risk.AtStart,
            "outcome.who5RiskPaired.end" => outcome.Who5Risk.AtEnd,
            "outcome.paidForSexPaired.start" => outcome.PaidForSex.AtStart,
            "outcome.paidForSexPaired.end" => outcome.PaidForSex.AtEnd,
            "outcome.progressionModerateOrLarge" => outcome.ModerateOrLarge,
            var k when k.StartsWith("outcome.who5Risk.", StringComparison.Ordinal) => Point(outcome, k).Who5RiskShare,
            var k when k.StartsWith("outcome.paidForSex.", StringComparison.Ordinal) => Point(outcome, k).PaidForSexShare,
            var k when k.StartsWith("outcome.who5Mean.", StringComparison.Ordinal) => Point(outcome, k).Who5Mean,
            var k when k.StartsWith("outcome.lifeSituationMean.", StringComparison.Ordinal) => Point(outcome, k).LifeSituationMean,
            var k when k.StartsWith("fidelity.contactsPerWeek.", StringComparison.Ordinal) => Phase(fidelity, k).ContactsPerWeek,
            var k when k.StartsWith("fidelity.coordinationShare.", StringComparison.Ordinal) => Phase(fidelity, k).CoordinationShare,
            "fidelity.handoverOnTime" => Item(fidelity, "handoverOnTime"),
            "fidelity.caseloadWithinLimit" => Item(fidelity, "caseloadWithinLimit"),
            "fidelity.workersSharing" => Item(fidelity, "workersSharing"),
            "fidelity.supervisionWorkers" => Item(fidelity, "supervisionWorkers"),
            "fidelity.supervisionSupportPersons" => Item(fidelity, "supervisionSupportPersons"),
            _ => throw new ArgumentOutOfRangeException(nameof(figure), figure.Key, "Unknown national figure."),
        };
        // The municipality reports are computed with suppression off: a suppressed figure here would lose its value for the total.
        if (f.Suppressed) throw new InvalidOperationException($"Figure {figure.Key} arrived suppressed; compute the municipality reports with SuppressBelow = 1.");
        return new RawCell(f.Value, f.N, figure.AboutCitizens);
    }

    /// <summary>
    /// The total of a count, share or mean from the municipalities' exact figures: counts add, a share adds its numerators
    /// (value × n, an integer) and n, a mean adds its sums (value × n) and n. <see cref="FigureKind.Rate"/> figures (contacts per week,
    /// coordination share) cannot be added from the figures alone; the caller computes them over all courses.
    /// </summary>
    public static RawCell Combine(Figure figure, IReadOnlyList<RawCell> cells)
    {
        var n = cells.Sum(c => c.N);
        double? value = figure.Kind switch
        {
            FigureKind.Count => cells.Sum(c => c.Value ?? 0),
            FigureKind.Share => n == 0 ? null : cells.Sum(c => Math.Round((c.Value ?? 0) * c.N)) / n,
            FigureKind.Mean => n == 0 ? null : cells.Sum(c => (c.Value ?? 0) * c.N) / n,
            _ => throw new InvalidOperationException($"{figure.Key} is computed over all courses, not added."),
        };
        return new RawCell(value, n, figure.AboutCitizens);
    }

    /// <summary>How a shown value reads on the page and in the JSON's <c>display</c> (Danish).</summary>
    public static string Format(FigureKind kind, string key, double? value)
    {
        if (value is not { } v) return "–";
        var da = CultureInfo.GetCultureInfo("da-DK");
        return kind switch
        {
            FigureKind.Count => v.ToString("0", da),
            FigureKind.Rate when key.StartsWith("fidelity.contactsPerWeek.", StringComparison.Ordinal) => v.ToString("0.00", da),
            FigureKind.Mean => v.ToString("0.0", da),
            _ => (v * 100).ToString("0", da) + " %",
        };
    }

    private static PointFigures Point(CitizenOutcomeReport r, string key) =>
        r.Points.Single(p => p.Point.ToString() == key[(key.LastIndexOf('.') + 1)..]);

    private static PhaseFidelity Phase(FidelityReport r, string key) =>
        r.Phases.Single(p => p.Phase.ToString() == key[(key.LastIndexOf('.') + 1)..]);

    private static ReportFigure Item(FidelityReport r, string key) => r.Items.Single(i => i.Key == key).Figure;
}
