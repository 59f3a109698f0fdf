namespace Exit.Activities.Cti.Domain;

/// <summary>How often the citizen received payment for sexual services within the last month.</summary>
public enum SexSaleFrequency
{
    None,
    Once,

    /// <summary>More than once but less than weekly.</summary>
    Several,
    Weekly,

    /// <summary>Several times a week up to every day.</summary>
    Daily,
}

/// <summary>
/// The prostitution-frequency question. Stored as the frequency alone so "paid: no, frequency: weekly"
/// cannot be recorded.
/// </summary>
public sealed record PaidForSexLastMonth
{
    public PaidForSexLastMonth(SexSaleFrequency frequency)
    {
        if (!Enum.IsDefined(frequency))
        {
            throw new CtiRuleViolation(CtiRules.PaidForSexFrequency, $"Unknown frequency {(int)frequency}.");
        }

        Frequency = frequency;
    }

    public SexSaleFrequency Frequency { get; }

    public bool Paid => Frequency != SexSaleFrequency.None;
}
