using System.Security.Claims;
using Exit.Host.Features.Account.Mfa;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.Account;

/// <summary>
/// Admin: staff users under <c>/api/admin/users</c>: list, create (password set by the admin, to be changed by the
/// user), set roles, unlock. Role changes reach signed-in sessions within the security-stamp interval (5 min), and
/// end the user's bearer tokens and narrow their API keys at once. Nobody changes their own roles. Every action, and
/// every refusal, is written to the audit log (ids and role names only). An admin also resets a user's second
/// sign-in factor (<see cref="UserMfa"/>, audited).
/// </summary>
public static class UserAdminEndpoints
{
    public sealed record UserSummary(string Id, string? Email, IReadOnlyList<string> Roles, bool LockedOut);
    public sealed record CreateUserRequest(string? Email, string? Password, string[]? Roles);
    public sealed record SetRolesRequest(string[]? Roles);

    public static RouteGroupBuilder MapUserAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(ExitPolicies.Admin).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", List).WithName("ListUsers");
        group.MapPost("/", Create).WithName("CreateUser");
        group.MapPut("/{id}/roles", SetRoles).WithName("SetUserRoles");
        group.MapPost("/{id}/unlock", Unlock).WithName("UnlockUser");
        group.MapPost("/{id}/mfa/reset", async Task<Results<NoContent, NotFound>> (string id, UserMfa mfa, CancellationToken ct) =>
            await mfa.ResetAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithName("ResetUserMfa");
        return group;
    }

    private static async Task<Ok<List<UserSummary>>> List(UserManager<IdentityUser> users, TimeProvider clock, CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.NormalizedEmail).ToListAsync(ct);
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
            result.Add(new UserSummary(user.Id, user.Email, [.. await users.GetRolesAsync(user)], user.LockoutEnd > clock.GetUtcNow()));
        return TypedResults.Ok(result);
    }

    /// <summary>The audit log's resource type for admin actions on users.</summary>
    public const string ResourceType = "user";

    private static async Task<Created<UserSummary>> Create(CreateUserRequest body, UserManager<IdentityUser> users, IAuditLog audit)
    {
        var roles = ValidRoles(body.Roles);
        if (string.IsNullOrWhiteSpace(body.Email)) throw new RequestValidationException([new("email", "An e-mail address is required.")]);
        if (string.IsNullOrEmpty(body.Password)) throw new RequestValidationException([new("password", "A password is required.")]);
        var user = new IdentityUser { UserName = body.Email.Trim(), Email = body.Email.Trim(), EmailConfirmed = true };
        Check(await users.CreateAsync(user, body.Password));
        Check(await users.AddToRolesAsync(user, roles));
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: $"created with roles {string.Join(",", roles)}"), ct: CancellationToken.None);
        return TypedResults.Created($"/api/admin/users/{user.Id}", new UserSummary(user.Id, user.Email, roles, false));
    }

    private static async Task<Results<Ok<UserSummary>, NotFound>> SetRoles(
        string id, SetRolesRequest body, UserManager<IdentityUser> users, ClaimsPrincipal admin, IAuditLog audit)
    {
        var roles = ValidRoles(body.Roles);
        if (await users.FindByIdAsync(id) is not { } user) return TypedResults.NotFound();
        if (string.Equals(admin.FindFirstValue(ClaimTypes.NameIdentifier), user.Id, StringComparison.Ordinal))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: $"refused: own roles to {string.Join(",", roles)}",
                Outcome: AuditOutcome.Denied), ct: CancellationToken.None);
            throw new RequestValidationException([new("roles", "Nobody changes their own roles; another administrator must.")]);
        }

        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(roles)));
        Check(await users.AddToRolesAsync(user, roles.Except(current)));
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id,
            Purpose: $"roles {string.Join(",", current.Order())} to {string.Join(",", roles.Order())}"), ct: CancellationToken.None);
        return TypedResults.Ok(new UserSummary(user.Id, user.Email, roles, false));
    }

    private static async Task<Results<NoContent, NotFound>> Unlock(string id, UserManager<IdentityUser> users, IAuditLog audit)
    {
        if (await users.FindByIdAsync(id) is not { } user) return TypedResults.NotFound();
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: "unlocked"), ct: CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static List<string> ValidRoles(string[]? roles)
    {
        var list = (roles ?? []).Distinct().ToList();
        if (list.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown)
            throw new RequestValidationException([new("roles", $"Unknown role '{unknown}'; use {string.Join(", ", ExitRoles.All)}.")]);
        return list;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new RequestValidationException(result.Errors.Select(e => new ValidationFailure(e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "user", e.Description)).ToList());
    }
}
