namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The coordinator-configurable shape of a course. <see cref="Default"/> is Exit Prostitution
/// (3 × 4 months, cadences from the implementation guide); <see cref="ThreeByThree"/> is the other common
/// Danish CTI set-up. Lengths are in calendar units of Copenhagen time.
/// </summary>
public sealed record CoursePlanSettings
{
    public static CoursePlanSettings Default { get; } = new();

    public static CoursePlanSettings ThreeByThree { get; } = new() { PhaseLengthMonths = 3 };

    /// <summary>All three phases have this length: the method prescribes phases of equal length.</summary>
    public int PhaseLengthMonths { get; init; } = 4;

    /// <summary>Planned (maximum) length of the contact period; the municipal clarification bound is six weeks.</summary>
    public int ContactPeriodDays { get; init; } = 42;

    public ContactCadence ContactPeriodCadence { get; init; } = ContactCadence.Weekly;

    public ContactCadence Phase1Cadence { get; init; } = ContactCadence.Weekly;

    public ContactCadence Phase2Cadence { get; init; } = ContactCadence.EveryTwoWeeks;

    public ContactCadence Phase3Cadence { get; init; } = ContactCadence.Monthly;

    /// <summary>Support-and-contact persons get supervision from a psychologist once a month.</summary>
    public ContactCadence SupervisionCadence { get; init; } = ContactCadence.Monthly;

    /// <summary>The handover agreement with the network is made at least this many months before the end.</summary>
    public int HandoverLeadMonths { get; init; } = 1;

    public ContactCadence CadenceFor(CoursePeriod period) => period switch
    {
        CoursePeriod.ContactPeriod => ContactPeriodCadence,
        CoursePeriod.Phase1 => Phase1Cadence,
        CoursePeriod.Phase2 => Phase2Cadence,
        CoursePeriod.Phase3 => Phase3Cadence,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    /// <summary>Throws <see cref="CtiRuleViolation"/> for settings no course could run with.</summary>
    public void Validate()
    {
        if (PhaseLengthMonths is < 1 or > 12)
        {
            throw new CtiRuleViolation(CtiRules.InvalidSettings, "Phase length must be 1 to 12 months.");
        }

        if (ContactPeriodDays is < 1 or > 183)
        {
            throw new CtiRuleViolation(CtiRules.InvalidSettings, "Contact period must be 1 to 183 days.");
        }

        if (HandoverLeadMonths < 0 || HandoverLeadMonths >= PhaseLengthMonths)
        {
            throw new CtiRuleViolation(CtiRules.InvalidSettings, "The handover lead time must fall inside phase 3.");
        }
    }
}
