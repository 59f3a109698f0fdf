namespace Exit.Activities.Cti.Domain;

public enum NetworkRole
{
    /// <summary>Støtte- og kontaktperson (SKP), often a volunteer from an NGO.</summary>
    SupportContactPerson,

    /// <summary>Sagsbehandler.</summary>
    Caseworker,

    /// <summary>Bostøtte.</summary>
    HousingSupport,
    NgoWorker,
    JobCentre,
    EducationCounsellor,
    Family,
    Other,
}

/// <summary>
/// Someone in the citizen's support network: the people phase 3 hands responsibility over to.
/// <see cref="ToString"/> leaves out name and contact details because they identify third parties.
/// </summary>
public sealed record SupportNetworkMember(Guid Id, NetworkRole Role, string? Name, string? Organisation, string? Contact)
{
    public override string ToString() => $"SupportNetworkMember {Id} ({Role})";
}
