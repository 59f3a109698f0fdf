namespace Exit.Activities.Cti.Domain;

public enum Who5Band
{
    /// <summary>Score above 50.</summary>
    Normal,

    /// <summary>Score 36–50: risk of stress or depression.</summary>
    RiskOfStressOrDepression,

    /// <summary>Score 35 or less.</summary>
    HighRisk,
}

/// <summary>
/// WHO-5 wellbeing index: five statements about the last two weeks, each answered 0–5. Only the answers
/// are stored; the score and band are always computed, so a typed-in score can never disagree with them.
/// </summary>
public sealed class Who5
{
    public const int ItemCount = 5;
    public const int MaxItem = 5;

    /// <summary>Scores at or below this are in the risk zone (Exit Prostitution: two thirds at start).</summary>
    public const int RiskZoneThreshold = 50;

    public const int HighRiskThreshold = 35;

    private readonly int[] _items;

    private Who5(int[] items) => _items = items;

    public IReadOnlyList<int> Items => _items;

    /// <summary>Sum of the five answers, 0–25.</summary>
    public int RawScore => _items.Sum();

    /// <summary>Raw score × 4, 0–100.</summary>
    public int Score => RawScore * 4;

    public Who5Band Band => Score switch
    {
        > RiskZoneThreshold => Who5Band.Normal,
        > HighRiskThreshold => Who5Band.RiskOfStressOrDepression,
        _ => Who5Band.HighRisk,
    };

    public bool IsInRiskZone => Score <= RiskZoneThreshold;

    public static Who5 FromItems(params int[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length != ItemCount)
        {
            throw new CtiRuleViolation(CtiRules.Who5ItemCount, $"WHO-5 has {ItemCount} items, got {items.Length}.");
        }

        if (items.Any(i => i is < 0 or > MaxItem))
        {
            throw new CtiRuleViolation(CtiRules.Who5ItemRange, $"Each WHO-5 item is answered 0–{MaxItem}.");
        }

        return new Who5((int[])items.Clone());
    }

    public override string ToString() => $"WHO-5 {Score} ({Band})";
}
