namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The person in a CTI course. Anonymous counselling must be possible (Serviceloven §10), so only an
/// alias is required; a CPR number is optional and held only in protected form.
/// </summary>
public sealed class Citizen
{
    public const int MaxAliasLength = 100;

    private Citizen(CitizenId id, string alias, string? protectedCpr)
    {
        Id = id;
        Alias = alias;
        ProtectedCpr = protectedCpr;
    }

    public CitizenId Id { get; }

    /// <summary>The name the citizen wants to be called; may be a made-up name.</summary>
    public string Alias { get; private set; }

    /// <summary>The CPR number as produced by an <see cref="ICprProtector"/>; null for anonymous citizens.</summary>
    public string? ProtectedCpr { get; private set; }

    public bool IsAnonymous => ProtectedCpr is null;

    public static Citizen Create(CitizenId id, string alias, CprNumber? cpr, ICprProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return new Citizen(id, NormaliseAlias(alias), cpr is null ? null : protector.Protect(cpr));
    }

    /// <summary>Rebuilds a citizen from storage; the protected CPR is taken as is.</summary>
    public static Citizen Restore(CitizenId id, string alias, string? protectedCpr) =>
        new(id, NormaliseAlias(alias), string.IsNullOrEmpty(protectedCpr) ? null : protectedCpr);

    public void Rename(string alias) => Alias = NormaliseAlias(alias);

    /// <summary>A citizen may give their CPR number later, or ask to become anonymous (null).</summary>
    public void SetCpr(CprNumber? cpr, ICprProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ProtectedCpr = cpr is null ? null : protector.Protect(cpr);
    }

    /// <summary>Reading a CPR number is an access to personal data: callers must audit-log it.</summary>
    public CprNumber? RevealCpr(ICprProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return ProtectedCpr is null ? null : protector.Unprotect(ProtectedCpr);
    }

    // Neither alias nor CPR: aliases are often real first names, and ToString ends up in logs.
    public override string ToString() => $"Citizen {Id}";

    private static string NormaliseAlias(string? alias)
    {
        var trimmed = alias?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new CtiRuleViolation(CtiRules.AliasRequired, "A citizen needs an alias (it may be a made-up name).");
        }

        if (trimmed.Length > MaxAliasLength)
        {
            throw new CtiRuleViolation(CtiRules.AliasTooLong, $"An alias may be at most {MaxAliasLength} characters.");
        }

        return trimmed;
    }
}
