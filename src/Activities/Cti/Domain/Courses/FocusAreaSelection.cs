namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The focus areas chosen for one phase: at least one, each once. The guide says *"Ofte vil det være relevant at
/// vælge 3-5 fokusområder"*: guidance, not a rule, so a choice outside 3–5 is kept and flagged
/// (<see cref="IsWithinGuidance"/>: the course page warns, the workflow logs it), never refused.
/// </summary>
public sealed class FocusAreaSelection
{
    /// <summary>The guide's usual range (3–5).</summary>
    public const int Min = 3;
    public const int Max = 5;

    /// <summary>True when the number of areas is in the guide's usual 3–5.</summary>
    public bool IsWithinGuidance => _areas.Length is >= Min and <= Max;

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

        if (list.Length == 0)
        {
            throw new CtiRuleViolation(CtiRules.FocusAreaCount, "Choose at least one focus area for a phase (the guide: often 3–5).");
        }

        if (list.Any(a => !Enum.IsDefined(a)))
        {
            throw new ArgumentOutOfRangeException(nameof(areas), "Unknown focus area.");
        }

        return new FocusAreaSelection(list);
    }
}
