namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The citizen's self-rating in all ten <see cref="LifeArea"/>s on an Outcomes-Star-like ladder from
/// 1 (stuck) to 10 (self-reliant); higher is always better, also for substance use and crime. All ten
/// are required because progression is defined across the ten areas.
/// </summary>
public sealed class LifeSituationRating
{
    public const int MinStep = 1;
    public const int MaxStep = 10;

    private static readonly LifeArea[] AllAreas = Enum.GetValues<LifeArea>();

    private readonly Dictionary<LifeArea, int> _ratings;

    private LifeSituationRating(Dictionary<LifeArea, int> ratings) => _ratings = ratings;

    public IReadOnlyDictionary<LifeArea, int> Ratings => _ratings;

    public int this[LifeArea area] => _ratings[area];

    /// <summary>Sum over the ten areas, 10–100. Integer, so comparisons need no rounding.</summary>
    public int Total => _ratings.Values.Sum();

    public double Mean => Total / (double)AllAreas.Length;

    public static LifeSituationRating Create(IReadOnlyDictionary<LifeArea, int> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var missing = AllAreas.Where(a => !ratings.ContainsKey(a)).ToArray();
        if (missing.Length > 0 || ratings.Count != AllAreas.Length)
        {
            throw new CtiRuleViolation(CtiRules.LifeSituationIncomplete, $"All ten life areas must be rated; missing: {string.Join(", ", missing)}.");
        }

        if (ratings.Values.Any(v => v is < MinStep or > MaxStep))
        {
            throw new CtiRuleViolation(CtiRules.LifeSituationRange, $"Life areas are rated {MinStep}–{MaxStep}.");
        }

        return new LifeSituationRating(new Dictionary<LifeArea, int>(ratings));
    }

    /// <summary>Ratings in the order of <see cref="LifeArea"/>.</summary>
    public static LifeSituationRating FromSteps(params int[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Length != AllAreas.Length)
        {
            throw new CtiRuleViolation(CtiRules.LifeSituationIncomplete, $"All ten life areas must be rated, got {steps.Length}.");
        }

        return Create(AllAreas.Zip(steps).ToDictionary(p => p.First, p => p.Second));
    }
}
