namespace Exit.Activities.Cti.Domain;

/// <summary>
/// A yes/no outcome at start and at end over the courses measured both times. Start and end share one
/// denominator (<see cref="Measured"/>) so the two shares describe the same people.
/// </summary>
public sealed record PairedShare(int Measured, int NotMeasured, int AtStart, int AtEnd)
{
    /// <summary>Null when no course was measured: "no data" is not "0 %".</summary>
    public double? ShareAtStart => Measured == 0 ? null : AtStart / (double)Measured;

    /// <inheritdoc cref="ShareAtStart"/>
    public double? ShareAtEnd => Measured == 0 ? null : AtEnd / (double)Measured;
}

/// <summary>Life-situation progression counts (see <see cref="LifeSituationProgression"/> for the rule).</summary>
public sealed record ProgressionSummary(int Measured, int NotMeasured, int Large, int Moderate, int NoneOrNegative)
{
    public int ModerateOrLarge => Moderate + Large;

    /// <summary>Null when no course was measured.</summary>
    public double? ShareModerateOrLarge => Measured == 0 ? null : ModerateOrLarge / (double)Measured;
}

/// <summary>
/// The outcome figures Exit Prostitution reported (WHO-5 risk zone, paid for sex within the last month,
/// life-situation progression), computed from baseline and final evaluations. A course counts for an
/// instrument only if that instrument was answered at both baseline and final; otherwise it is counted as
/// not measured and left out of that instrument's shares.
/// </summary>
public sealed record OutcomeReport(int Courses, PairedShare Who5RiskZone, PairedShare PaidForSex, ProgressionSummary LifeSituation)
{
    public static OutcomeReport Compute(IEnumerable<CourseMeasurements> courses)
    {
        ArgumentNullException.ThrowIfNull(courses);
        var list = courses.ToList();

        var who5 = Pair(list, e => e.Who5, w => w.IsInRiskZone);
        var paid = Pair(list, e => e.PaidForSex, p => p.Paid);

        var ratings = list
            .Select(c => (Start: c.Baseline?.LifeSituation, End: c.Final?.LifeSituation))
            .Where(p => p.Start is not null && p.End is not null)
            .Select(p => LifeSituationProgression.Classify(p.Start!, p.End!))
            .ToList();
        var progression = new ProgressionSummary(
            ratings.Count,
            list.Count - ratings.Count,
            ratings.Count(p => p == Progression.Large),
            ratings.Count(p => p == Progression.Moderate),
            ratings.Count(p => p == Progression.NoneOrNegative));

        return new OutcomeReport(list.Count, who5, paid, progression);
    }

    private static PairedShare Pair<T>(List<CourseMeasurements> courses, Func<Evaluation, T?> instrument, Func<T, bool> flagged)
        where T : class
    {
        var pairs = courses
            .Select(c => (Start: c.Baseline is null ? null : instrument(c.Baseline), End: c.Final is null ? null : instrument(c.Final)))
            .Where(p => p.Start is not null && p.End is not null)
            .ToList();
        return new PairedShare(
            pairs.Count,
            courses.Count - pairs.Count,
            pairs.Count(p => flagged(p.Start!)),
            pairs.Count(p => flagged(p.End!)));
    }
}
