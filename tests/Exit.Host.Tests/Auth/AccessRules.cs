using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Tests.Auth;

public enum Access
{
    Allowed,
    Unauthenticated,
    Forbidden,
}

/// <summary>
/// Who may call each endpoint: the expected-access table of the authorization tests, one row per method and
/// route pattern. Adding an endpoint without a row here fails the tests. "Allowed" means past the policy; a
/// resource check may still answer 404 (workers and other people's tasks or courses: see the resource tests).
/// </summary>
public sealed record AccessRule(string Method, string Pattern, bool Anonymous, IReadOnlySet<string> Roles, Access? Always = null)
{
    public Access Expected(string? role)
    {
        if (Always is { } always) return role is null && !Anonymous ? Access.Unauthenticated : always;
        if (Anonymous) return Access.Allowed;
        if (role is null) return Access.Unauthenticated;
        return Roles.Contains(role) ? Access.Allowed : Access.Forbidden;
    }
}

public static class AccessRules
{
    private static readonly string[] Staff = [.. ExitRoles.All];
    // The national role edits the template library: definitions and Studio, never instances (ElsaInstance*).
    private static readonly string[] ElsaRead = [ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Admin, ExitRoles.National];
    private static readonly string[] ElsaWrite = [ExitRoles.Coordinator, ExitRoles.Admin, ExitRoles.National];
    private static readonly string[] ElsaInstanceRead = [ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Admin];
    private static readonly string[] ElsaInstanceWrite = [ExitRoles.Coordinator, ExitRoles.Admin];
    private static readonly string[] Studio = [ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.National];
    private static readonly string[] AuditLog = [ExitRoles.Admin, ExitRoles.National];
    private static readonly string[] National = [ExitRoles.National];
    private static readonly string[] Tasks = [ExitRoles.Worker, ExitRoles.Supervisor, ExitRoles.Manager];
    private static readonly string[] Manager = [ExitRoles.Manager];
    private static readonly string[] Admin = [ExitRoles.Admin];
    private static readonly string[] Caseload = [ExitRoles.Worker, ExitRoles.Manager];
    private static readonly string[] Worker = [ExitRoles.Worker];
    private static readonly string[] Supervisor = [ExitRoles.Supervisor];
    private static readonly string[] Supervision = [ExitRoles.Supervisor, ExitRoles.Manager];
    private static readonly string[] Casework = [ExitRoles.Worker, ExitRoles.Supervisor];
    private static readonly string[] SupportPersons = [ExitRoles.Manager, ExitRoles.Coordinator];
    private static readonly string[] Volunteer = [ExitRoles.Volunteer];

    public static readonly IReadOnlyList<AccessRule> Table =
    [
        // Anonymous: the root redirect, health, the sign-in pages (the POSTs then fail antiforgery with 400).
        Anon("GET", "/"),
        Anon("*", "/health"), // any method: mapped without one
        Anon("*", "/health/ready"), // false while starting and while draining (a load balancer's question)
        Anon("*", "/health/live"),
        Anon("GET", "/account/login"),
        Anon("POST", "/account/login"),
        Anon("POST", "/account/logout"),
        // The second sign-in step: without the two-factor cookie of the password step everyone is sent to sign in.
        new("GET", "/account/mfa", true, Set([]), Always: Access.Unauthenticated),
        Anon("POST", "/account/mfa"),
        // The access-denied page answers 403 to everyone, by design.
        new("GET", "/account/access-denied", true, Set([]), Always: Access.Forbidden),

        // Any signed-in staff member.
        Rule("GET", "/openapi/{documentName}.json", Staff),
        Rule("GET", "/api/account/me", Staff),
        // Changing one's own password (a form: the POST then fails antiforgery with 400).
        Rule("GET", "/account/password", Staff),
        Rule("POST", "/account/password", Staff),
        // Setting up one's own authenticator (API-key callers get 400: no person to enrol).
        Rule("GET", "/account/mfa/setup", Staff),
        Rule("POST", "/account/mfa/setup", Staff),
        // Tokens are for cookie sessions only: every API-key caller gets 401 from the endpoint itself.
        new("POST", "/api/account/token", false, Set(Staff), Always: Access.Unauthenticated),

        // Admin.
        Rule("GET", "/api/admin/api-keys", Admin),
        Rule("POST", "/api/admin/api-keys", Admin),
        Rule("DELETE", "/api/admin/api-keys/{id}", Admin),
        Rule("GET", "/api/admin/users", Admin),
        Rule("POST", "/api/admin/users", Admin),
        Rule("PUT", "/api/admin/users/{id}/roles", Admin),
        Rule("POST", "/api/admin/users/{id}/unlock", Admin),
        Rule("POST", "/api/admin/users/{id}/mfa/reset", Admin),
        // The audit log of the caller's own scope: an admin's municipality, the national role's national scope.
        Rule("GET", "/api/audit", AuditLog),
        Rule("GET", "/api/audit/export", AuditLog),
        Rule("GET", "/api/audit/chain", AuditLog),
        Rule("GET", "/api/audit/citizens/{citizenId}/access-log", Admin),
        // A citizen's rights, carried out by an admin (audited): erasure with a receipt, the art. 15 document.
        Rule("POST", "/api/admin/citizens/{citizenId}/erase", Admin),
        Rule("GET", "/api/admin/citizens/{citizenId}/data", Admin),
        // Prometheus scrape (figures reveal caseload sizes): admins and admin API keys.
        Rule("*", "/metrics", Admin), // any method: the exporter maps it without one

        // Municipalities: the national role.
        Rule("GET", "/api/municipalities", National),
        Rule("POST", "/api/municipalities", National),
        Rule("GET", "/api/templates", ElsaRead),
        Rule("POST", "/api/templates/{definitionId}/adopt", ElsaWrite),

        // Tasks: the policy; per-task checks in TaskAccessTests.
        Rule("GET", "/api/tasks", Tasks),
        Rule("GET", "/api/tasks/{id}", Tasks),
        Rule("POST", "/api/tasks/{id}/complete", Tasks),
        Rule("POST", "/api/tasks/{id}/assign", Manager),
        // The team queue: anyone with tasks; claiming needs the task's role, releasing being its claimant (TeamQueueTests).
        Rule("GET", "/api/tasks/queue", Tasks),
        Rule("POST", "/api/tasks/{id}/claim", Tasks),
        Rule("POST", "/api/tasks/{id}/release", Tasks),

        // CTI API: citizens and courses for workers (their own caseload, checked per course: CtiAccessTests) and
        // managers; reassigning and the outcome report for managers; supervision for supervisors.
        Rule("POST", "/api/citizens", Caseload),
        Rule("POST", "/api/courses", Caseload),
        Rule("GET", "/api/courses/{courseId:guid}/timeline", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/pause", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/resume", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/phases/{period}/close", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/evaluations/{taskId}", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/reassign", Manager),
        Rule("GET", "/api/courses/{courseId:guid}/network", Caseload),
        Rule("PUT", "/api/courses/{courseId:guid}/network", Caseload),
        Rule("GET", "/api/courses/{courseId:guid}/descriptors", Caseload),
        Rule("PUT", "/api/courses/{courseId:guid}/descriptors", Caseload),
        // The intake register: workers and managers (no caseload yet; linking a course checks it).
        Rule("GET", "/api/intake", Caseload),
        Rule("POST", "/api/intake", Caseload),
        Rule("POST", "/api/intake/{id:guid}/decision", Caseload),
        Rule("GET", "/api/courses/{courseId:guid}/contacts", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/contacts", Caseload),
        Rule("PUT", "/api/courses/{courseId:guid}/contacts/{contactId:guid}", Caseload),
        Rule("PUT", "/api/courses/{courseId:guid}/rhythm", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/decision", Caseload),
        Rule("POST", "/api/courses/{courseId:guid}/end", Caseload),
        Rule("GET", "/api/cti/outcome-report", Manager),
        Rule("GET", "/api/cti/fidelity-report", Manager),
        Rule("GET", "/api/cti/report-export", Manager),
        // Staffing (team and full-time equivalent) for the fidelity report: managers list, record, and use the page.
        Rule("GET", "/api/cti/staffing", Manager),
        Rule("POST", "/api/cti/staffing", Manager),
        Rule("*", "/manager/staffing", Manager),
        Rule("GET", "/api/cti/supervision-sessions", Supervision),
        Rule("POST", "/api/cti/supervision-sessions/held", Supervisor),

        // Support-and-contact persons (SKP): the register for managers and coordinators; matching a course for managers
        // (ICaseloadAccess per course); a worker refers a course of their own caseload. The volunteer's own API: only the
        // volunteer role, her matches checked by ICaseloadAccess.IsMatchedSupportPersonAsync (VolunteerAccessTests).
        Rule("GET", "/api/support-persons", SupportPersons),
        Rule("POST", "/api/support-persons", SupportPersons),
        Rule("PUT", "/api/support-persons/{id:guid}", SupportPersons),
        Rule("POST", "/api/support-persons/{id:guid}/matches", Manager),
        Rule("POST", "/api/support-persons/referrals", Caseload),
        Rule("GET", "/api/volunteer/citizens", Volunteer),
        Rule("GET", "/api/volunteer/matches/{matchId:guid}/contacts", Volunteer),
        Rule("POST", "/api/volunteer/matches/{matchId:guid}/contacts", Volunteer),
        Rule("GET", "/api/volunteer/supervision", Volunteer),
        // Supervision series: the psychologist and managers read them; only the psychologist records a session.
        Rule("GET", "/api/supervision/series", Supervision),
        Rule("POST", "/api/supervision/sessions/{sessionId:guid}/held", Supervisor),

        // The national report (anonymous aggregates across municipalities): the national role only.
        Rule("GET", "/api/national/report", National),
        Rule("*", "/national/rapport", National),

        // Web UI pages (Razor Pages answer every method; tested with GET).
        Rule("*", "/ui", Staff),
        Rule("*", "/worker/tasks", Worker),
        Rule("*", "/worker/tasks/{id}", Casework),
        Rule("*", "/worker/citizens", Worker),
        Rule("*", "/worker/courses/new", Worker),
        Rule("*", "/worker/courses/{id:guid}", Worker),
        Rule("*", "/worker/queue", Casework),
        Rule("*", "/intake", Caseload),
        Rule("*", "/studio/alterations/instances/{id}", ElsaInstanceWrite),
        Rule("*", "/manager/overdue", Manager),
        Rule("*", "/manager/caseload", Manager),
        Rule("*", "/manager/report", Manager),
        Rule("*", "/manager/fidelity", Manager),
        Rule("*", "/manager/reassign", Manager),
        Rule("*", "/supervisor/sessions", Supervisor),
        Rule("*", "/supervisor/series", Supervisor),
        Rule("*", "/manager/support-persons", Manager),
        Rule("*", "/volunteer", Volunteer),
        Rule("*", "/admin/users", Admin),
        Rule("*", "/admin/api-keys", Admin),
        Rule("*", "/admin/audit", Admin),
        Rule("*", "/admin/audit/citizen", Admin),

        // Studio (the host page and its bundle).
        Rule("GET", "/studio/exit-studio.js", Studio),
        Rule("GET", "/studio/{**path}", Studio),

        // Elsa API: reads.
        Rule("GET", "/elsa/api/features/installed", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/activities", ElsaRead),
        Rule("POST", "/elsa/api/descriptors/activities/{typeName}/options/{propertyName}", ElsaRead),
        Rule("POST", "/elsa/api/scripting/javascript/type-definitions/{definitionId}", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/expression-descriptors", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/variables", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/storage-drivers", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/workflow-activation-strategies", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/log-persistence-strategies", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/incident-strategies", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/commit-strategies/workflows", ElsaRead),
        Rule("GET", "/elsa/api/descriptors/commit-strategies/activities", ElsaRead),
        Rule("GET", "/elsa/api/workflow-definitions", ElsaRead),
        Rule("GET", "/elsa/api/workflow-definitions/by-definition-id/{definitionId}", ElsaRead),
        Rule("GET", "/elsa/api/workflow-definitions/by-id/{versionId}", ElsaRead),
        Rule("GET", "/elsa/api/workflow-definitions/validation/is-name-unique", ElsaRead),
        Rule("GET", "/elsa/api/workflow-definitions/{definitionId}/export", ElsaRead),
        Rule("GET", "/elsa/api/workflow-instances/{id}", ElsaInstanceRead),
        Rule("GET", "/elsa/api/alterations/{id}", ElsaInstanceRead),
        Rule("POST", "/elsa/api/workflow-instances/{id}/journal", ElsaInstanceRead),
        Rule("GET", "/elsa/api/workflow-instances/{id}/variables", ElsaInstanceRead),
        Rule("GET", "/elsa/api/workflow-instances/{id}/execution-state", ElsaInstanceRead),
        Rule("POST", "/elsa/api/workflow-instances", ElsaInstanceRead),
        Rule("GET", "/elsa/api/activity-executions/list", ElsaInstanceRead),
        Rule("GET", "/elsa/api/activity-executions/by-id", ElsaInstanceRead),
        Rule("POST", "/elsa/api/activity-executions/report", ElsaInstanceRead),
        Rule("GET", "/elsa/api/activity-execution-summaries/list", ElsaInstanceRead),

        // Elsa API: changes.
        Rule("POST", "/elsa/api/workflow-definitions", ElsaWrite),
        Rule("POST", "/elsa/api/workflow-definitions/{definitionId}/execute", ElsaInstanceWrite),
        Rule("POST", "/elsa/api/workflow-definitions/{definitionId}/publish", ElsaWrite),
        Rule("POST", "/elsa/api/workflow-definitions/{definitionId}/retract", ElsaWrite),
        Rule("POST", "/elsa/api/workflow-definitions/{definitionId}/revert/{version:int}", ElsaWrite),
        Rule("DELETE", "/elsa/api/workflow-definitions/{definitionId}", ElsaWrite),
        Rule("POST", "/elsa/api/workflow-definitions/import", ElsaWrite),
        Rule("POST", "/elsa/api/workflow-definitions/import-files", ElsaWrite),
        Rule("POST", "/elsa/api/alterations/dry-run", ElsaInstanceWrite),
        Rule("POST", "/elsa/api/alterations/run", ElsaInstanceWrite),
        Rule("POST", "/elsa/api/alterations/submit", ElsaInstanceWrite),
        Rule("POST", "/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", ElsaWrite),
        Rule("POST", "/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", ElsaWrite),
        Rule("POST", "/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", ElsaWrite),
        Rule("POST", "/elsa/api/cancel/workflow-instances/{id}", ElsaInstanceWrite),
        Rule("POST", "/elsa/api/events/{eventName}/trigger", ElsaInstanceWrite),
    ];

    /// <summary>
    /// Every Razor page handler (GET/POST, named handlers too: <c>?handler=Pause</c>), by the page's route and the
    /// handler's name (null for the unnamed OnGet/OnPost). <see cref="PageHandlerAuthorizationTests"/> enumerates the
    /// handlers from the compiled pages, so a new handler without a row here fails.
    /// </summary>
    public static readonly IReadOnlyList<(AccessRule Rule, string? Handler)> PageHandlers =
    [
        (Rule("GET", "/ui", Staff), null),
        (Rule("GET", "/worker/tasks", Worker), null),
        (Rule("GET", "/worker/tasks/{id}", Casework), null),
        (Rule("POST", "/worker/tasks/{id}", Casework), null),
        (Rule("GET", "/worker/citizens", Worker), null),
        (Rule("GET", "/worker/courses/new", Worker), null),
        (Rule("POST", "/worker/courses/new", Worker), null),
        (Rule("GET", "/worker/courses/{id:guid}", Worker), null),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Pause"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Resume"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Close"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Contact"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Rhythm"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Decision"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "End"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Network"),
        (Rule("POST", "/worker/courses/{id:guid}", Worker), "Descriptors"),
        (Rule("GET", "/worker/queue", Casework), null),
        (Rule("POST", "/worker/queue", Casework), "Claim"),
        (Rule("POST", "/worker/queue", Casework), "Release"),
        (Rule("GET", "/studio/alterations/instances/{id}", ElsaInstanceWrite), null),
        (Rule("POST", "/studio/alterations/instances/{id}", ElsaInstanceWrite), "DryRun"),
        (Rule("POST", "/studio/alterations/instances/{id}", ElsaInstanceWrite), "Migrate"),
        (Rule("GET", "/intake", Caseload), null),
        (Rule("POST", "/intake", Caseload), "Register"),
        (Rule("POST", "/intake", Caseload), "Decide"),
        (Rule("GET", "/manager/overdue", Manager), null),
        (Rule("GET", "/manager/overdue", Manager), "Rows"),
        (Rule("GET", "/manager/caseload", Manager), null),
        (Rule("GET", "/manager/report", Manager), null),
        (Rule("GET", "/manager/report", Manager), "Csv"),
        (Rule("GET", "/manager/report", Manager), "Export"),
        (Rule("GET", "/manager/fidelity", Manager), null),
        (Rule("GET", "/manager/fidelity", Manager), "Csv"),
        (Rule("GET", "/manager/staffing", Manager), null),
        (Rule("POST", "/manager/staffing", Manager), "Record"),
        (Rule("GET", "/manager/reassign", Manager), null),
        (Rule("POST", "/manager/reassign", Manager), null),
        (Rule("GET", "/supervisor/sessions", Supervisor), null),
        (Rule("POST", "/supervisor/sessions", Supervisor), "Hold"),
        (Rule("GET", "/supervisor/series", Supervisor), null),
        (Rule("POST", "/supervisor/series", Supervisor), "Hold"),
        (Rule("GET", "/manager/support-persons", Manager), null),
        (Rule("POST", "/manager/support-persons", Manager), "Register"),
        (Rule("POST", "/manager/support-persons", Manager), "Status"),
        (Rule("POST", "/manager/support-persons", Manager), "Match"),
        (Rule("GET", "/volunteer", Volunteer), null),
        (Rule("POST", "/volunteer", Volunteer), "Contact"),
        (Rule("GET", "/admin/users", Admin), null),
        (Rule("POST", "/admin/users", Admin), "Create"),
        (Rule("POST", "/admin/users", Admin), "Roles"),
        (Rule("POST", "/admin/users", Admin), "Unlock"),
        (Rule("POST", "/admin/users", Admin), "ResetMfa"),
        (Rule("GET", "/admin/api-keys", Admin), null),
        (Rule("POST", "/admin/api-keys", Admin), "Create"),
        (Rule("POST", "/admin/api-keys", Admin), "Revoke"),
        (Rule("GET", "/admin/audit", Admin), null),
        (Rule("GET", "/admin/audit", Admin), "Chain"),
        (Rule("GET", "/admin/audit/citizen", Admin), null),
        // The national report page (helper D).
        (Rule("GET", "/national/rapport", National), null),
    ];

    public static AccessRule? Find(string method, string pattern) =>
        Table.FirstOrDefault(r => r.Method == method && r.Pattern == pattern);

    /// <summary>Route patterns as the table writes them: leading slash, no trailing slash (except the root).</summary>
    public static string Normalise(string? raw)
    {
        var text = "/" + (raw ?? "").Trim('/');
        return text;
    }

    private static AccessRule Rule(string method, string pattern, string[] roles) => new(method, pattern, false, Set(roles));

    private static AccessRule Anon(string method, string pattern) => new(method, pattern, true, Set([]));

    private static HashSet<string> Set(string[] roles) => new(roles, StringComparer.Ordinal);
}
