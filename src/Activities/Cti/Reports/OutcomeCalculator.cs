using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Computes <see cref="CitizenOutcomeReport"/> from courses as recorded. Pure: no database, no clock; the same input
/// always gives the same report, so the tests feed it registrations and compare with what they count themselves.
/// </summary>
public static class OutcomeCalculator
{
    private static readonly LifeArea[] Areas = Enum.GetValues<LifeArea>();

    /// <summary>The breakdown dimensions, in page order. "worker" is for managers only (the report is a manager's page).</summary>
    public static readonly IReadOnlyList<string> Dimensions =
        ["goal", "period", "team", "worker", "ageBand", "gender", "prostitutionForm", "mainIncome", "debt", "mentalHealth", "substanceUse", "interpreterNeeded"];

    public static CitizenOutcomeReport Compute(IEnumerable<ReportCourse> courses, ReportFilter filter, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(courses);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(options);
        var citizens = CountedCourses(courses).Where(filter.Matches).Select(c => Measured.Of(c, options)).ToList();
        var s = options.SuppressBelow;
        var summary = Summarize(citizens, options);

        var ended = citizens.Where(c => c.Course.Course.Outcome == CourseOutcome.DroppedOut).ToList();
        var reasons = ended
            .GroupBy(c => ReasonOf(c.Course.Course))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ReportFigure.Count(g.Count(), s));
        var status = new OutcomeStatus(
            summary.Completed, summary.DroppedOut,
            ReportFigure.Count(citizens.Count(c => c.Course.Course.Outcome == CourseOutcome.EndedAtClarification), s),
            summary.Ongoing, reasons);

        var points = Enum.GetValues<MeasurePoint>().Select(p => Point(citizens, p, options)).ToList();
        var breakdowns = Dimensions
            .SelectMany(d => citizens.GroupBy(c => c.ValueOf(d))
                .OrderBy(g => g.Key == "" ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var n = g.Count();
                    if (n < s)
                    {
                        // A small group hides all of its row, zeros included: "0 of <5 completed" tells about the others.
                        var hidden = new ReportFigure(null, n, true);
                        return new BreakdownRow(d, g.Key, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden, hidden);
                    }

                    var sub = Summarize(g.ToList(), options);
                    return new BreakdownRow(d, g.Key, ReportFigure.Count(n, s), sub.Completed, sub.DroppedOut, sub.Ongoing,
                        sub.Who5.AtStart, sub.Who5.AtEnd, sub.Paid.AtStart, sub.Paid.AtEnd, sub.ModerateOrLarge);
                }))
            .ToList();

        return new CitizenOutcomeReport(
            ReportFigure.Count(citizens.Count, s), status, summary.Who5, summary.Paid, summary.ModerateOrLarge,
            ReportFigure.Share(summary.LargeCount, summary.ProgressionN, s),
            ReportFigure.Share(summary.ModerateCount, summary.ProgressionN, s),
            summary.ProgressionN, points, breakdowns);
    }

    /// <summary>Per citizen the course that counts: the latest (by start) that got past the contact period, else the latest.</summary>
    public static IEnumerable<ReportCourse> CountedCourses(IEnumerable<ReportCourse> courses) =>
        courses.GroupBy(c => c.CitizenKey, StringComparer.Ordinal)
            .Select(g => g.Where(c => c.IsFullCourse).MaxBy(c => c.Course.StartDate) ?? g.MaxBy(c => c.Course.StartDate)!);

    /// <summary>Classifies a life-situation change with the configured cut-offs (integer totals against cut-off × 10 areas).</summary>
    public static Progression Classify(LifeSituationRating start, LifeSituationRating end, ReportOptions options)
    {
        var change = end.Total - start.Total;
        return change >= options.LargeMeanChange * Areas.Length ? Progression.Large
            : change >= options.ModerateMeanChange * Areas.Length ? Progression.Moderate
            : Progression.NoneOrNegative;
    }

    /// <summary>
    /// The evaluation at each point: the first baseline, the last final, and phase-change evaluations by the phase they
    /// were recorded in (in phase 3 or later: the change to phase 3; otherwise the change to phase 2), the last of each.
    /// </summary>
    public static IReadOnlyDictionary<MeasurePoint, Evaluation> PointsOf(ReportCourse course)
    {
        var result = new Dictionary<MeasurePoint, Evaluation>();
        var phase3 = course.Course.Schedule[CoursePeriod.Phase3];
        foreach (var e in course.Evaluations.OrderBy(e => e.Date))
        {
            switch (e.Kind)
            {
                case EvaluationKind.Baseline:
                    result.TryAdd(MeasurePoint.Start, e);
                    break;
                case EvaluationKind.Final:
                    result[MeasurePoint.End] = e;
                    break;
                default:
                    result[phase3.HasStarted && e.Date >= phase3.EffectiveStart ? MeasurePoint.ToPhase3 : MeasurePoint.ToPhase2] = e;
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// A counted course with what every summary asks of it, worked out once: its evaluation at each point, whether its
    /// start and end answers are flagged (null: not both measured), its progression (null: not both rated) and its value
    /// in each breakdown. A report summarises the same citizens once overall and once per breakdown group.
    /// </summary>
    private sealed record Measured(
        ReportCourse Course, IReadOnlyDictionary<MeasurePoint, Evaluation> Points,
        (bool Start, bool End)? Who5Risk, (bool Start, bool End)? Paid, Progression? Progression, string[] Values)
    {
        public static Measured Of(ReportCourse course, ReportOptions options)
        {
            var points = PointsOf(course);
            var start = points.GetValueOrDefault(MeasurePoint.Start);
            var end = points.GetValueOrDefault(MeasurePoint.End);
            (bool, bool)? who5 = start?.Who5 is { } w0 && end?.Who5 is { } w1
                ? (w0.Score <= options.Who5RiskZoneMax, w1.Score <= options.Who5RiskZoneMax) : null;
            (bool, bool)? paid = start?.PaidForSex is { } p0 && end?.PaidForSex is { } p1 ? (p0.Paid, p1.Paid) : null;
            Progression? progression = start?.LifeSituation is { } l0 && end?.LifeSituation is { } l1 ? Classify(l0, l1, options) : null;
            return new Measured(course, points, who5, paid, progression, Dimensions.Select(d => OutcomeCalculator.ValueOf(course, d)).ToArray());
        }

        public T? At<T>(MeasurePoint point, Func<Evaluation, T?> instrument) where T : class =>
            Points.TryGetValue(point, out var e) ? instrument(e) : null;

        public string ValueOf(string dimension) => Values[DimensionIndex[dimension]];
    }

    private static readonly Dictionary<string, int> DimensionIndex =
        Dimensions.Select((d, i) => (d, i)).ToDictionary(p => p.d, p => p.i, StringComparer.Ordinal);

    private sealed record Summary(
        ReportFigure Completed, ReportFigure DroppedOut, ReportFigure Ongoing, PairedFigure Who5, PairedFigure Paid,
        ReportFigure ModerateOrLarge, int LargeCount, int ModerateCount, int ProgressionN);

    private static Summary Summarize(List<Measured> citizens, ReportOptions options)
    {
        var s = options.SuppressBelow;
        int completed = 0, droppedOut = 0, running = 0, large = 0, moderate = 0, progressions = 0;
        foreach (var c in citizens)
        {
            switch (c.Course.Course.Outcome)
            {
                case CourseOutcome.Completed: completed++; break;
                case CourseOutcome.DroppedOut: droppedOut++; break;
                case CourseOutcome.Running: running++; break;
            }

            if (c.Progression is not { } p) continue;
            progressions++;
            if (p == Progression.Large) large++;
            else if (p == Progression.Moderate) moderate++;
        }

        return new Summary(
            ReportFigure.Count(completed, s), ReportFigure.Count(droppedOut, s), ReportFigure.Count(running, s),
            Pair(citizens, c => c.Who5Risk, s), Pair(citizens, c => c.Paid, s),
            ReportFigure.Share(large + moderate, progressions, s), large, moderate, progressions);
    }

    /// <summary>Start and end shares of the citizens measured at both (the others counted as not measured).</summary>
    private static PairedFigure Pair(List<Measured> citizens, Func<Measured, (bool Start, bool End)?> flags, int s)
    {
        int pairs = 0, atStart = 0, atEnd = 0;
        foreach (var c in citizens)
        {
            if (flags(c) is not { } f) continue;
            pairs++;
            if (f.Start) atStart++;
            if (f.End) atEnd++;
        }

        return new PairedFigure(ReportFigure.Share(atStart, pairs, s), ReportFigure.Share(atEnd, pairs, s), pairs, citizens.Count - pairs);
    }

    private static PointFigures Point(List<Measured> citizens, MeasurePoint point, ReportOptions options)
    {
        var s = options.SuppressBelow;
        var who5 = citizens.Select(c => c.At(point, e => e.Who5)).OfType<Who5>().ToList();
        var paid = citizens.Select(c => c.At(point, e => e.PaidForSex)).OfType<PaidForSexLastMonth>().ToList();
        var life = citizens.Select(c => c.At(point, e => e.LifeSituation)).OfType<LifeSituationRating>().ToList();
        var progressed = citizens
            .Select(c => (Start: c.At(MeasurePoint.Start, e => e.LifeSituation), Now: c.At(point, e => e.LifeSituation)))
            .Where(p => p.Start is not null && p.Now is not null)
            .Select(p => Classify(p.Start!, p.Now!, options))
            .ToList();
        return new PointFigures(
            point,
            ReportFigure.Mean(who5.Select(w => (double)w.Score).ToList(), s),
            ReportFigure.Share(who5.Count(w => w.Score <= options.Who5RiskZoneMax), who5.Count, s),
            ReportFigure.Share(paid.Count(p => p.Paid), paid.Count, s),
            ReportFigure.Mean(life.Select(l => l.Mean).ToList(), s),
            Areas.ToDictionary(a => a, a => ReportFigure.Mean(life.Select(l => (double)l[a]).ToList(), s)),
            point == MeasurePoint.Start
                ? ReportFigure.Of(null, 0, s)
                : ReportFigure.Share(progressed.Count(p => p != Progression.NoneOrNegative), progressed.Count, s));
    }

    private static string ReasonOf(Course course) =>
        course.Ending?.Reason.ToString() ?? course.CancellationReason?.ToString() ?? "Other";

    /// <summary>A course's value in a breakdown dimension; "" when not recorded.</summary>
    public static string ValueOf(ReportCourse c, string dimension)
    {
        var d = c.Descriptors;
        return dimension switch
        {
            "goal" => c.Course.Goal.ToString(),
            "period" => PeriodOf(c.Course.StartDate),
            "team" => c.Team ?? "",
            "worker" => c.Worker,
            "ageBand" => d.AgeBand?.ToString() ?? "",
            "gender" => d.Gender?.ToString() ?? "",
            "prostitutionForm" => d.ProstitutionForm?.ToString() ?? "",
            "mainIncome" => d.MainIncome?.ToString() ?? "",
            "debt" => d.Debt?.ToString() ?? "",
            "mentalHealth" => d.MentalHealth?.ToString() ?? "",
            "substanceUse" => d.SubstanceUse?.ToString() ?? "",
            "interpreterNeeded" => d.InterpreterNeeded?.ToString() ?? "",
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown breakdown."),
        };
    }

    /// <summary>Start year and quarter, Copenhagen time: "2026-K3".</summary>
    public static string PeriodOf(DateTimeOffset start)
    {
        var local = CopenhagenCalendar.ToLocal(start);
        return $"{local.Year}-K{(local.Month - 1) / 3 + 1}";
    }
}
