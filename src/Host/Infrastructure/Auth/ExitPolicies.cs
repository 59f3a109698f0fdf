using Microsoft.AspNetCore.Authorization;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Authorization policy names: the one list endpoints and Razor pages refer to
/// (<c>.RequireAuthorization(ExitPolicies.ElsaRead)</c>, <c>[Authorize(Policy = ExitPolicies.Caseload)]</c>).
/// Resource checks (which course, which task) live beside them: <see cref="ICaseloadAccess"/>, <see cref="TaskAccess"/>.
/// </summary>
public static class ExitPolicies
{
    /// <summary>Reading workflow definitions, descriptors and instances (Elsa API GETs).</summary>
    public const string ElsaRead = "elsa-read";

    /// <summary>Changing workflow definitions or instances: save, publish, retract, import, delete, execute, cancel.</summary>
    public const string ElsaWrite = "elsa-write";

    /// <summary>The Elsa Studio page at /studio.</summary>
    public const string Studio = "studio";

    /// <summary>The task API: workers and supervisors for their own tasks, managers for all.</summary>
    public const string Tasks = "tasks";

    /// <summary>Reassigning tasks and courses.</summary>
    public const string Reassign = "reassign";

    /// <summary>Citizen and course data: workers (own caseload, checked per course) and managers.</summary>
    public const string Caseload = "caseload";

    /// <summary>Users, roles, API keys.</summary>
    public const string Admin = "admin";

    /// <summary>Searching and exporting the audit log; a citizen's access log.</summary>
    public const string Audit = "audit";

    /// <summary>Aggregate outcome reports (no single citizen): managers.</summary>
    public const string Reports = "reports";

    /// <summary>Listing supervision sessions: supervisors and managers.</summary>
    public const string Supervision = "supervision";

    /// <summary>Recording a supervision session as held: supervisors.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>The register of support-and-contact persons: managers and coordinators.</summary>
    public const string SupportPersons = "support-persons";

    /// <summary>A volunteer support-and-contact person's own work (her matched citizens, contacts, supervision dates).</summary>
    public const string Volunteer = "volunteer";

    /// <summary>
    /// Elsa API endpoints that read or change workflow instances (their variables and journals hold citizen data):
    /// <see cref="ElsaRead"/>/<see cref="ElsaWrite"/> and, on top, a municipality role: never the national role.
    /// </summary>
    public const string ElsaInstances = "elsa-instances";

    /// <summary>The national role: municipalities (and, by the Elsa policies, the template library).</summary>
    public const string National = "national";

    /// <summary>Any signed-in staff member (any role).</summary>
    public const string Staff = "staff";

    public static void AddTo(AuthorizationOptions options)
    {
        // The national role edits the template library (definitions in its own scope), never instances.
        Role(options, ElsaRead, ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Admin, ExitRoles.National);
        Role(options, ElsaWrite, ExitRoles.Coordinator, ExitRoles.Admin, ExitRoles.National);
        Role(options, ElsaInstances, ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Admin);
        Role(options, Studio, ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.National);
        Role(options, Tasks, ExitRoles.Worker, ExitRoles.Supervisor, ExitRoles.Manager);
        Role(options, Reassign, ExitRoles.Manager);
        Role(options, Caseload, ExitRoles.Worker, ExitRoles.Manager);
        Role(options, Admin, ExitRoles.Admin);
        // The national role reads the audit entries of its own scope: its actions and sign-in events of nobody's municipality.
        Role(options, Audit, ExitRoles.Admin, ExitRoles.National);
        Role(options, National, ExitRoles.National);
        Role(options, Reports, ExitRoles.Manager);
        Role(options, Supervision, ExitRoles.Supervisor, ExitRoles.Manager);
        Role(options, Supervisor, ExitRoles.Supervisor);
        Role(options, SupportPersons, ExitRoles.Manager, ExitRoles.Coordinator);
        Role(options, Volunteer, ExitRoles.Volunteer);
        Role(options, Staff, [.. ExitRoles.All]);
    }

    private static void Role(AuthorizationOptions options, string name, params string[] roles) =>
        options.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles));
}
