using System.Security.Claims;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Exit.Host.Infrastructure.Tenancy;

namespace Exit.Host.Features.Account.Admin;

/// <summary>
/// API keys, for the admin API (<see cref="ApiKeyEndpoints"/>) and the admin pages alike. A key is shown once, when
/// it is created; only its SHA-256 is stored. A key with an owner acts as that user and may carry only roles the
/// owner holds (checked here and again on every request, <see cref="ApiKeyAuthenticationHandler"/>), so nobody hands
/// themselves, or anyone, a role through a key; a key without an owner never carries a role that reads citizen data.
/// Creating and revoking are audited, refusals too.
/// </summary>
/// <remarks>
/// Keys belong to the municipality they are created in (the list and revocation see only its keys, by the tenant filter);
/// an owner must be a user of that municipality; a key without an owner never carries the national role.
/// </remarks>
public sealed class ApiKeyAdministration(ExitIdentityDbContext db, UserManager<IdentityUser> users, UserMunicipalities municipalities, IAuditLog audit, TimeProvider clock)
{
    public sealed record ApiKeySummary(string Id, string Prefix, string Name, string? OwnerUserId, string OwnerName, IReadOnlyList<string> Roles,
        DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? RevokedAt);

    /// <summary>The new key's record and the key itself, which is never shown again.</summary>
    public sealed record Created(ApiKeySummary Key, string Secret);

    /// <summary>The audit log's resource type for admin actions on keys.</summary>
    public const string ResourceType = "api-key";

    public async Task<List<ApiKeySummary>> ListAsync(CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return keys.OrderByDescending(k => k.CreatedAt).Select(Summary).ToList();
    }

    /// <exception cref="AdminRefusedException">every rule the request breaks (audited as Denied); nothing stored.</exception>
    public async Task<Created> CreateAsync(ClaimsPrincipal admin, string? name, IEnumerable<string>? roles, string? ownerUserId, CancellationToken ct)
    {
        var failures = new List<AdminFailure>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) failures.Add(new("name", "name.length", "From 1 to 200 characters."));
        var list = (roles ?? []).Distinct().ToList();
        if (list.Count == 0) failures.Add(new("roles", "roles.none", $"At least one of {string.Join(", ", ExitRoles.All)}."));
        else if (list.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown) failures.Add(new("roles", "roles.unknown", $"Unknown role '{unknown}'."));
        IdentityUser? owner = null;
        if (ownerUserId is not null && (owner = await municipalities.FindInScopeAsync(ownerUserId, ct)) is null)
            failures.Add(new("ownerUserId", "owner.unknown", "No such user."));
        if (failures.Count == 0 && owner is not null)
        {
            var held = await users.GetRolesAsync(owner);
            var extra = list.Where(r => !held.Contains(r, StringComparer.Ordinal)).ToList();
            if (extra.Count > 0)
                failures.Add(new("roles", "roles.notHeldByOwner", $"The owner does not hold {string.Join(", ", extra)}; a key carries only roles its owner has.", extra));
        }
        else if (failures.Count == 0 && list.Contains(ExitRoles.National))
        {
            failures.Add(new("roles", "roles.national", "The national role is not granted by a municipality's administrator.", [ExitRoles.National]));
        }
        else if (failures.Count == 0 && list.FirstOrDefault(ExitRoles.ReadsCitizenData) is { } citizenRole)
        {
            failures.Add(new("roles", "roles.citizenDataWithoutOwner",
                $"A key without an owner cannot carry '{citizenRole}', which reads citizen data; give the key an owner who holds it.", [citizenRole]));
        }

        if (failures.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, null, Purpose: Clip($"refused: key for owner {owner?.Id ?? "none"} with roles {string.Join(",", list)}"),
                Outcome: AuditOutcome.Denied), ct: CancellationToken.None);
            throw new AdminRefusedException(failures);
        }

        var key = ApiKeyDefaults.NewKey();
        var record = new ApiKeyRecord
        {
            Id = ApiKeyDefaults.NewId(),
            Hash = ApiKeyDefaults.Hash(key),
            Prefix = key[..12],
            Name = name!,
            OwnerUserId = owner?.Id,
            OwnerName = owner?.UserName ?? "apikey:" + name,
            Roles = string.Join(",", list),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = admin.Identity?.Name,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, record.Id,
            Purpose: Clip($"created for owner {owner?.Id ?? "none"} with roles {record.Roles}")), ct: CancellationToken.None);
        return new Created(Summary(record), key);
    }

    /// <summary>False when there is no such key; revoking a revoked key keeps its first revocation time.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return false;
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Delete, ResourceType, key.Id, Purpose: "revoked"), ct: CancellationToken.None);
        return true;
    }

    private static ApiKeySummary Summary(ApiKeyRecord k) => new(k.Id, k.Prefix, k.Name, k.OwnerUserId, k.OwnerName, k.RoleList, k.CreatedAt, k.CreatedBy, k.RevokedAt);

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];
}
