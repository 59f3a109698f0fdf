using System.Security.Claims;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Features.Account.Admin;

/// <summary>
/// Staff users, for the admin API (<see cref="UserAdminEndpoints"/>) and the admin pages alike, so both follow one
/// set of rules: create (password set by the admin), set roles, unlock. Role changes renew the security stamp (open
/// sessions and bearer tokens end, API keys narrow). Nobody changes their own roles. Every action, and every refusal
/// of a role change, is written to the audit log (ids and role names only).
/// An administrator works in their own municipality only: the list, look-ups and new users are that municipality's
/// (<see cref="UserMunicipalities"/>: a user of another municipality is "no such user", 404), nobody is moved to
/// another municipality, and the national role is never granted here (only by the create-user command).
/// </summary>
public sealed class UserAdministration(UserManager<IdentityUser> users, UserMunicipalities municipalities, IAuditLog audit, TimeProvider clock)
{
    public sealed record UserSummary(string Id, string? Email, IReadOnlyList<string> Roles, bool LockedOut);

    /// <summary>The audit log's resource type for admin actions on users.</summary>
    public const string ResourceType = "user";

    public async Task<List<UserSummary>> ListAsync(CancellationToken ct)
    {
        if (TenantScope.Current is not { } municipality || municipality == TenantIds.Templates) return [];
        var all = await municipalities.In(municipality).AsNoTracking().OrderBy(u => u.NormalizedEmail).ToListAsync(ct);
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
            result.Add(new UserSummary(user.Id, user.Email, [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)], user.LockoutEnd > clock.GetUtcNow()));
        return result;
    }

    /// <exception cref="AdminRefusedException">missing e-mail or password, unknown role, or Identity's refusal (weak password, e-mail in use).</exception>
    public async Task<UserSummary> CreateAsync(string? email, string? password, IEnumerable<string>? roles)
    {
        var valid = ValidRoles(roles);
        if (string.IsNullOrWhiteSpace(email)) throw Refused(new("email", "email.required", "An e-mail address is required."));
        if (string.IsNullOrEmpty(password)) throw Refused(new("password", "password.required", "A password is required."));
        if (TenantScope.Current is not { } municipality || municipality == TenantIds.Templates)
            throw Refused(new("municipality", "municipality.none", "Users are created inside a municipality, by its administrator."));
        var user = new IdentityUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true };
        Check(await municipalities.CreateAsync(user, password, municipality));
        Check(await users.AddToRolesAsync(user, valid));
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: $"created with roles {string.Join(",", valid)}"), ct: CancellationToken.None);
        return new UserSummary(user.Id, user.Email, valid, false);
    }

    /// <summary>Null when there is no such user.</summary>
    /// <exception cref="AdminRefusedException">an unknown role, or <paramref name="admin"/> changing their own roles (audited as Denied).</exception>
    public async Task<UserSummary?> SetRolesAsync(ClaimsPrincipal admin, string id, IEnumerable<string>? roles)
    {
        var valid = ValidRoles(roles);
        if (await municipalities.FindInScopeAsync(id, CancellationToken.None) is not { } user) return null;
        if (string.Equals(admin.FindFirstValue(ClaimTypes.NameIdentifier), user.Id, StringComparison.Ordinal))
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: $"refused: own roles to {string.Join(",", valid)}",
                Outcome: AuditOutcome.Denied), ct: CancellationToken.None);
            throw Refused(new("roles", "roles.self", "Nobody changes their own roles; another administrator must."));
        }

        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(valid)));
        Check(await users.AddToRolesAsync(user, valid.Except(current)));
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id,
            Purpose: $"roles {string.Join(",", current.Order())} to {string.Join(",", valid.Order())}"), ct: CancellationToken.None);
        return new UserSummary(user.Id, user.Email, valid, false);
    }

    /// <summary>False when there is no such user.</summary>
    public async Task<bool> UnlockAsync(string id)
    {
        if (await municipalities.FindInScopeAsync(id, CancellationToken.None) is not { } user) return false;
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, user.Id, Purpose: "unlocked"), ct: CancellationToken.None);
        return true;
    }

    private static List<string> ValidRoles(IEnumerable<string>? roles)
    {
        var list = (roles ?? []).Distinct().ToList();
        if (list.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown)
            throw Refused(new("roles", "roles.unknown", $"Unknown role '{unknown}'; use {string.Join(", ", ExitRoles.Municipal)}."));
        if (list.Contains(ExitRoles.National))
            throw Refused(new("roles", "roles.national", "The national role is not granted by a municipality's administrator.", [ExitRoles.National]));
        return list;
    }

    private static AdminRefusedException Refused(AdminFailure failure) => new([failure]);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new AdminRefusedException(result.Errors.Select(e =>
                new AdminFailure(e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "user", "identity." + e.Code, e.Description)).ToList());
        }
    }
}
