namespace Exit.Activities.Cti.Domain;

/// <summary>The kind of actor in the citizen's network (the names are stored; never rename one).</summary>
public enum NetworkRole
{
    /// <summary>Støtte- og kontaktperson (SKP), often a volunteer from an NGO.</summary>
    SupportContactPerson,

    /// <summary>Sagsbehandler.</summary>
    Caseworker,

    /// <summary>Bolig / bostøtte.</summary>
    HousingSupport,

    /// <summary>NGO.</summary>
    NgoWorker,
    JobCentre,

    /// <summary>Kept for courses recorded before the kinds followed the casework list; not offered for new members.</summary>
    EducationCounsellor,

    /// <summary>Familie eller venner.</summary>
    Family,
    Other,

    /// <summary>Læge eller psykiatri.</summary>
    DoctorOrPsychiatry,

    /// <summary>Misbrugsbehandling.</summary>
    AddictionTreatment,
}

/// <summary>Where an actor stands in the plan: agreed but not yet started, active, or no longer involved.</summary>
public enum NetworkMemberStatus
{
    Planned,
    Active,
    Ended,
}

/// <summary>
/// Someone in the citizen's support network, built from phase 1 on: the actors phase 3 hands responsibility over to.
/// <see cref="Organisation"/> names the actor (organisation or role), <see cref="Name"/> the contact person there and
/// <see cref="Contact"/> how to reach them. <see cref="ToString"/> leaves out names and contact details because they
/// identify third parties.
/// </summary>
public sealed record SupportNetworkMember(
    Guid Id,
    NetworkRole Role,
    string? Name,
    string? Organisation,
    string? Contact,
    string? RoleInPlan = null,
    IReadOnlyList<FocusArea>? FocusAreas = null,
    NetworkMemberStatus Status = NetworkMemberStatus.Active)
{
    public const int MaxTextLength = 200;
    public const int MaxRoleInPlanLength = 1000;
    public const int MaxMembers = 50;

    /// <summary>The kinds offered for new members (the casework list).</summary>
    public static readonly IReadOnlyList<NetworkRole> OfferedRoles =
    [
        NetworkRole.Caseworker, NetworkRole.JobCentre, NetworkRole.DoctorOrPsychiatry, NetworkRole.AddictionTreatment,
        NetworkRole.HousingSupport, NetworkRole.NgoWorker, NetworkRole.Family, NetworkRole.SupportContactPerson, NetworkRole.Other,
    ];

    public override string ToString() => $"SupportNetworkMember {Id} ({Role}, {Status})";
}
