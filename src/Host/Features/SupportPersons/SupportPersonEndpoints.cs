using System.Security.Claims;
using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.SupportPersons;

/// <summary>
/// The register under <c>/api/support-persons</c>: list, register and change SKPs (managers and coordinators, every change
/// audited), match an SKP to a citizen's course (managers, who may see every course: <see cref="ICaseloadAccess"/>), and a
/// worker's referral of a course on their caseload. A linked user account must exist and hold the volunteer role.
/// </summary>
public static class SupportPersonEndpoints
{
    public sealed record SupportPersonRequest(
        string? DisplayName, string? Team, string[]? Languages, string? AgreementStart, int? HoursPerWeek, string? AcuteAvailability,
        string? ConfidentialitySignedOn, string? Status, string? UserName);

    public sealed record MatchRequest(Guid? CourseId, string? Start, int? HoursPerWeek, string? End);

    public sealed record ReferralRequest(Guid? CourseId);

    public static RouteGroupBuilder MapSupportPersonEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/support-persons").WithTags("Support persons")
            .AddEndpointFilter<SupportPersonProblemFilter>().AddEndpointFilter<CtiProblemFilter>().AddEndpointFilter<ProblemMappingFilter>()
            .WithMetadata(new AuditedResourceAttribute("support-person"));
        group.MapGet("/", List).WithName("ListSupportPersons").RequireAuthorization(ExitPolicies.SupportPersons)
            .WithSummary("The register of support-and-contact persons (SKP): profile, agreement, confidentiality declaration, status.");
        group.MapPost("/", Register).WithName("RegisterSupportPerson").RequireAuthorization(ExitPolicies.SupportPersons).ProducesValidationProblem();
        group.MapPut("/{id:guid}", Change).WithName("ChangeSupportPerson").RequireAuthorization(ExitPolicies.SupportPersons).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/matches", Match).WithName("MatchSupportPerson").RequireAuthorization(ExitPolicies.Reassign).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Matches the SKP to a citizen's course (start, agreed hours a week, end); she joins the course's network.");
        group.MapPost("/referrals", Refer).WithName("ReferToSupportPersons").RequireAuthorization(ExitPolicies.Caseload).ProducesValidationProblem()
            .WithSummary("A worker refers a citizen's course (own caseload) to the support-and-contact-person scheme.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SupportPersonView>>> List(SupportPersonRegister register, IAuditLog audit, CancellationToken ct)
    {
        var list = await register.ListAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Search, "support-person", null, null, "support-person scheme"), ct: CancellationToken.None);
        return TypedResults.Ok(list);
    }

    private static async Task<Created<SupportPersonView>> Register(
        SupportPersonRequest body, SupportPersonRegister register, UserManager<IdentityUser> users, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var profile = await ReadAsync(body, users, clock, ct);
        var view = await register.RegisterAsync(profile, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "support-person", view.Id.ToString(), null, "support-person scheme: register"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/support-persons/{view.Id}", view);
    }

    private static async Task<Ok<SupportPersonView>> Change(
        Guid id, SupportPersonRequest body, SupportPersonRegister register, UserManager<IdentityUser> users, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var profile = await ReadAsync(body, users, clock, ct);
        var view = await register.UpdateAsync(id, profile, ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "support-person", id.ToString(), null, "support-person scheme: change"), ct: CancellationToken.None);
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Created<MatchView>, ProblemHttpResult>> Match(
        Guid id, MatchRequest body, ClaimsPrincipal user, SupportPersonMatching matching, ICaseloadAccess caseload, IAuditLog audit, CancellationToken ct)
    {
        if (body.CourseId is { } courseId && !await caseload.CanAccessCourseAsync(user, courseId.ToString(), ct))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", courseId.ToString(), null, "support-person scheme: match", AuditOutcome.Denied), ct: CancellationToken.None);
            throw new SupportPersonValidationException([new("courseId", "No course with that id.")]);
        }

        var match = await matching.MatchAsync(id, new MatchInput(body.CourseId, body.Start, body.HoursPerWeek, body.End), user.Identity?.Name ?? "api", ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", match.CourseId.ToString(), match.CitizenId, "support-person scheme: match"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/support-persons/{id}/matches/{match.Id}", match);
    }

    private static async Task<Created<ReferralView>> Refer(
        ReferralRequest body, ClaimsPrincipal user, SupportPersonMatching matching, ICaseloadAccess caseload, IAuditLog audit, CancellationToken ct)
    {
        if (body.CourseId is not { } courseId) throw new SupportPersonValidationException([new("courseId", "Required.")]);
        if (!await caseload.CanAccessCourseAsync(user, courseId.ToString(), ct))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", courseId.ToString(), null, "support-person scheme: referral", AuditOutcome.Denied), ct: CancellationToken.None);
            throw new SupportPersonValidationException([new("courseId", "No course with that id in your caseload.")]);
        }

        var referral = await matching.ReferAsync(courseId, user.Identity?.Name ?? "api", ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, "course", courseId.ToString(), referral.CitizenId, "support-person scheme: referral"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/support-persons/referrals/{referral.Id}", referral);
    }

    /// <summary>Checks the profile and, when an account is named, that it exists and holds the volunteer role.</summary>
    public static async Task<SupportPersonProfile> ReadAsync(SupportPersonRequest body, UserManager<IdentityUser> users, TimeProvider clock, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var problems = new List<SupportPersonProblem>();
        var profile = SupportPersonValidation.Validate(
            new SupportPersonInput(body.DisplayName, body.Team, body.Languages, body.AgreementStart, body.HoursPerWeek, body.AcuteAvailability,
                body.ConfidentialitySignedOn, body.Status, body.UserName),
            SupervisionCalendar.Today(clock.GetUtcNow()), problems);
        if (!string.IsNullOrWhiteSpace(body.UserName) && body.UserName.Trim().Length <= SupportPersonValidation.MaxText)
        {
            var account = await users.FindByNameAsync(body.UserName.Trim());
            // Only a volunteer of this municipality: another municipality's account is as unknown as a missing one.
            if (account is null || !await users.IsInRoleAsync(account, ExitRoles.Volunteer)
                || !await Exit.Host.Infrastructure.Tenancy.UserMunicipalities.InScope(users.Users).AnyAsync(u => u.Id == account.Id, ct))
                problems.Add(new("userName", "No user account with that name holds the volunteer role."));
        }

        if (problems.Count > 0 || profile is null) throw new SupportPersonValidationException(problems);
        return profile with { UserName = profile.UserName is null ? null : (await users.FindByNameAsync(profile.UserName))!.UserName };
    }
}
