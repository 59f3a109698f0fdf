namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The focus areas chosen for one phase. CTI works on a few areas at a time rather than everything at
/// once, hence 3–5 distinct areas; fewer means the plan is not yet made, more means nothing is in focus.
/// </summary>
public sealed class FocusAreaSelection
{
    public const int Min = 3;
    public const int Max = 5;

    private readonly FocusArea[] _areas;

    private FocusAreaSelection(FocusArea[] areas) => _areas = areas;

    /// <summary>In the order the citizen chose them.</summary>
    public IReadOnlyList<FocusArea> Areas => _areas;

    public bool Contains(FocusArea area) => _areas.Contains(area);

    public static FocusAreaSelection Create(IEnumerable<FocusArea> areas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var list = areas.ToArray();
        var duplicate = list.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CtiRuleViolation(CtiRules.FocusAreaDuplicate, $"Focus area {duplicate.Key} is chosen more than once.");
        }

        if (list.Length is < Min or > Max)
        {
            throw new CtiRuleViolation(CtiRules.FocusAreaCount, $"Choose {Min} to {Max} focus areas for a phase, not {list.Length}.");
        }

        if (list.Any(a => !Enum.IsDefined(a)))
        {
            throw new ArgumentOutOfRangeException(nameof(areas), "Unknown focus area.");
        }

        return new FocusAreaSelection(list);
    }
}
