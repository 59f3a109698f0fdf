using System.Security.Claims;
using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.SupportPersons;

/// <summary>
/// A volunteer support-and-contact person's own work under <c>/api/volunteer</c> (role <c>volunteer</c> only): the aliases of
/// the citizens currently matched to her, her own contacts on a match and logging one (in the course's contact log), her
/// supervision dates with her own attendance and note. A match that is not hers answers 404 (audited as denied). Every read
/// and change is audited with the citizen behind it.
/// </summary>
public static class VolunteerEndpoints
{
    public const string Purpose = "support-and-contact person";

    public sealed record VolunteerContactRequest(string? Kind, DateTimeOffset? StartedAt, int? DurationMinutes, string? Place, string? Note);

    public static RouteGroupBuilder MapVolunteerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/volunteer").WithTags("Volunteer")
            .AddEndpointFilter<SupportPersonProblemFilter>().AddEndpointFilter<CtiProblemFilter>().AddEndpointFilter<ProblemMappingFilter>()
            .RequireAuthorization(ExitPolicies.Volunteer)
            .WithMetadata(new AuditedResourceAttribute("course"));
        group.MapGet("/citizens", Citizens).WithName("VolunteerCitizens").WithSummary("The citizens currently matched to me, by alias.");
        group.MapGet("/matches/{matchId:guid}/contacts", Contacts).WithName("VolunteerContacts").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/matches/{matchId:guid}/contacts", LogContact).WithName("VolunteerLogContact").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/supervision", Supervision).WithName("VolunteerSupervision").WithSummary("My team's supervision sessions, my attendance and note.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<VolunteerCitizenView>>> Citizens(ClaimsPrincipal user, VolunteerCasework work, IAuditLog audit, CancellationToken ct)
    {
        var list = await work.MyCitizensAsync(user.Identity?.Name, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Search, "support-person-match", null, null, Purpose), ct: CancellationToken.None);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<IReadOnlyList<VolunteerContactView>>, ProblemHttpResult>> Contacts(
        Guid matchId, ClaimsPrincipal user, VolunteerCasework work, ICaseloadAccess caseload, IAuditLog audit, CancellationToken ct)
    {
        var match = await MatchAsync(matchId, user, work, caseload, audit, AuditAction.Read, ct);
        if (match is null) return NotFound(matchId);
        var list = await work.MyContactsAsync(user.Identity!.Name!, match, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Read, "course", match.CourseId.ToString(), match.CitizenId, Purpose + ": own contacts"), ct: CancellationToken.None);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Created<VolunteerContactView>, ProblemHttpResult>> LogContact(
        Guid matchId, VolunteerContactRequest body, ClaimsPrincipal user, VolunteerCasework work, ICaseloadAccess caseload, IAuditLog audit, CancellationToken ct)
    {
        var match = await MatchAsync(matchId, user, work, caseload, audit, AuditAction.Change, ct);
        if (match is null) return NotFound(matchId);
        var contact = await work.LogContactAsync(user.Identity!.Name!, match,
            new VolunteerContactInput(body.Kind, body.StartedAt, body.DurationMinutes, body.Place, body.Note), ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", match.CourseId.ToString(), match.CitizenId, Purpose + ": contact log"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/volunteer/matches/{matchId}/contacts", contact);
    }

    private static async Task<Ok<IReadOnlyList<SessionView>>> Supervision(
        ClaimsPrincipal user, SupportPersonRegister register, SupervisionSeriesService series, IAuditLog audit, CancellationToken ct)
    {
        var me = await register.FindByUserAsync(user.Identity?.Name, ct);
        IReadOnlyList<SessionView> sessions = me is null ? [] : await series.SessionsOfAsync(me.Id, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Read, "supervision-session", me?.Id.ToString(), null, "supervision"), ct: CancellationToken.None);
        return TypedResults.Ok(sessions);
    }

    /// <summary>Her current match, decided by the caseload rules (<see cref="ICaseloadAccess.IsMatchedSupportPersonAsync"/>); a refusal is audited.</summary>
    private static async Task<MatchView?> MatchAsync(
        Guid matchId, ClaimsPrincipal user, VolunteerCasework work, ICaseloadAccess caseload, IAuditLog audit, AuditAction action, CancellationToken ct)
    {
        var match = await work.MyMatchAsync(user.Identity?.Name, matchId, ct);
        if (match is not null && await caseload.IsMatchedSupportPersonAsync(user, match.CourseId.ToString(), ct)) return match;
        await audit.WriteAsync(new AuditRecord(action, "support-person-match", matchId.ToString(), null, Purpose, AuditOutcome.Denied), ct: CancellationToken.None);
        return null;
    }

    private static ProblemHttpResult NotFound(Guid matchId) =>
        TypedResults.Problem(title: "Not found", detail: $"No match {matchId}.", statusCode: StatusCodes.Status404NotFound);
}
