namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// The staff roles, exactly as stored in the role table and carried in role claims. Citizens are never users.
/// See README "Users, roles and sign-in" for what each may do.
/// </summary>
public static class ExitRoles
{
    /// <summary>CTI worker (<i>CTI-medarbejder</i>): own caseload, own tasks.</summary>
    public const string Worker = "worker";

    /// <summary>Coordinator (<i>koordinator</i>): designs and publishes workflow definitions in Studio.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Manager (<i>leder</i>): all courses and tasks, reassigns; never confidential notes.</summary>
    public const string Manager = "manager";

    /// <summary>Supervisor (psychologist): supervision sessions and their tasks.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Administrator: users, API keys, the audit log. No citizen data by this role alone.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Volunteer support-and-contact person (<i>frivillig støtte- og kontaktperson</i>, SKP): the aliases of the citizens
    /// matched to her, her own contacts and notes, her supervision dates; nothing else.
    /// </summary>
    public const string Volunteer = "volunteer";

    /// <summary>
    /// National role (<i>national</i>, e.g. Socialstyrelsen): municipalities, the template library and the
    /// cross-municipality report. Never any citizen data; belongs to no municipality.
    /// </summary>
    public const string National = "national";

    public static readonly IReadOnlyList<string> All = [Worker, Coordinator, Manager, Supervisor, Admin, Volunteer, National];

    /// <summary>
    /// Roles that read citizen data (caseloads, courses, tasks, notes). A key without an owner never carries them
    /// unless its configuration says so explicitly: such a key would read citizen data in nobody's name.
    /// </summary>
    public static readonly IReadOnlyList<string> CitizenData = [Worker, Manager, Supervisor, Volunteer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static bool ReadsCitizenData(string role) => CitizenData.Contains(role, StringComparer.Ordinal);
}
