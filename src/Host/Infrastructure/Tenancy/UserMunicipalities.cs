using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>
/// Which municipality a user belongs to: the one place that reads and sets it (a shadow column on Identity's user
/// table, null for national users) and the one place that limits user lists and look-ups to a municipality. The
/// user table itself is not tenant-filtered: sign-in must find a user before anyone's scope is known.
/// </summary>
public sealed class UserMunicipalities(ExitIdentityDbContext db, UserManager<IdentityUser> users)
{
    public const string Column = "MunicipalityId";

    /// <summary>The municipality of the user with <paramref name="userId"/>; null for a national user or no such user.</summary>
    public Task<string?> OfAsync(string userId, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => EF.Property<string?>(u, Column)).FirstOrDefaultAsync(ct);

    /// <summary>The users of <paramref name="municipalityId"/>.</summary>
    public IQueryable<IdentityUser> In(string municipalityId) =>
        users.Users.Where(u => EF.Property<string?>(u, Column) == municipalityId);

    /// <summary>The user with <paramref name="userId"/> if they belong to the municipality in scope, else null (as if unknown).</summary>
    public async Task<IdentityUser?> FindInScopeAsync(string userId, CancellationToken ct)
    {
        if (TenantScope.Current is not { } municipality) return null;
        if (await users.FindByIdAsync(userId) is not { } user) return null;
        return await OfAsync(user.Id, ct) == municipality ? user : null;
    }

    /// <summary>The users of <paramref name="users"/> that belong to the municipality in scope (none without a scope).</summary>
    public static IQueryable<IdentityUser> InScope(IQueryable<IdentityUser> users)
    {
        var municipality = TenantScope.Current;
        return users.Where(u => municipality != null && EF.Property<string?>(u, Column) == municipality);
    }

    /// <summary>The user names holding <paramref name="role"/> in the municipality in scope (e.g. the workers a manager may pick).</summary>
    public static async Task<List<string>> UserNamesInRoleAsync(UserManager<IdentityUser> users, string role, CancellationToken ct)
    {
        var ids = (await users.GetUsersInRoleAsync(role)).Select(u => u.Id).ToList();
        return await InScope(users.Users).Where(u => ids.Contains(u.Id)).Select(u => u.UserName).OfType<string>().ToListAsync(ct);
    }

    /// <summary>
    /// Creates <paramref name="user"/> in <paramref name="municipalityId"/> (null: a national user) in one insert: the
    /// municipality is set on the tracked row before Identity saves it, so no user ever exists without it.
    /// </summary>
    public async Task<IdentityResult> CreateAsync(IdentityUser user, string password, string? municipalityId)
    {
        db.Users.Add(user);
        db.Entry(user).Property<string?>(Column).CurrentValue = municipalityId;
        var result = await users.CreateAsync(user, password);
        // Refused (weak password, e-mail in use): the row must not linger in the context for a later save.
        if (!result.Succeeded) db.Entry(user).State = EntityState.Detached;
        return result;
    }
}
