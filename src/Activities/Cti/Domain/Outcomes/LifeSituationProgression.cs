namespace Exit.Activities.Cti.Domain;

public enum Progression
{
    /// <summary>Mean change below +1 step, including a decline.</summary>
    NoneOrNegative,

    /// <summary>Mean change of at least +1 and below +2 steps.</summary>
    Moderate,

    /// <summary>Mean change of at least +2 steps.</summary>
    Large,
}

/// <summary>
/// The progression rule used in outcome reports: the mean change over the ten life areas from the baseline
/// rating to the final rating. A mean change ≥ +2.0 steps is <see cref="Progression.Large"/>, ≥ +1.0 is
/// <see cref="Progression.Moderate"/>, anything less (including a decline) is
/// <see cref="Progression.NoneOrNegative"/>. The SFI evaluation does not publish its cut-offs; this rule
/// is ours, chosen so one step on the ten-step ladder, on average across all areas, counts as real change.
/// Computed on integer totals (mean ≥ 1.0 ⇔ total change ≥ 10) so no rounding can move a course across a
/// boundary.
/// </summary>
public static class LifeSituationProgression
{
    public const double ModerateMeanChange = 1.0;
    public const double LargeMeanChange = 2.0;

    private static readonly int AreaCount = Enum.GetValues<LifeArea>().Length;

    public static double MeanChange(LifeSituationRating baseline, LifeSituationRating final)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(final);
        return (final.Total - baseline.Total) / (double)AreaCount;
    }

    public static Progression Classify(LifeSituationRating baseline, LifeSituationRating final)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(final);
        var totalChange = final.Total - baseline.Total;
        return totalChange >= LargeMeanChange * AreaCount ? Progression.Large
            : totalChange >= ModerateMeanChange * AreaCount ? Progression.Moderate
            : Progression.NoneOrNegative;
    }
}
