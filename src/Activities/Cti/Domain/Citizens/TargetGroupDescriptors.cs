namespace Exit.Activities.Cti.Domain;

public enum AgeBand { Under25, From25To34, From35To44, From45To54, From55 }

public enum Gender { Woman, Man, Trans, Other }

/// <summary>Form of prostitution, as the Exit Prostitution evaluation groups it.</summary>
public enum ProstitutionForm { Street, EscortOrOnline, ClinicOrMassage, Other }

public enum MainIncome { Employment, PublicBenefits, Prostitution, Other }

/// <summary>A yes/no answer that may also be unknown (null) or declined by the citizen.</summary>
public enum YesNo { Yes, No, DoNotWantToSay }

/// <summary>
/// Target-group descriptors (<i>målgruppebeskrivelse</i>) of a citizen: every one optional, explained on the form, and
/// used only for aggregate reports (never shown in lists). Null means not recorded.
/// </summary>
public sealed record TargetGroupDescriptors(
    AgeBand? AgeBand = null,
    Gender? Gender = null,
    ProstitutionForm? ProstitutionForm = null,
    MainIncome? MainIncome = null,
    YesNo? Debt = null,
    YesNo? MentalHealth = null,
    YesNo? SubstanceUse = null,
    YesNo? InterpreterNeeded = null)
{
    public static readonly TargetGroupDescriptors None = new();

    public override string ToString() => "TargetGroupDescriptors";
}
