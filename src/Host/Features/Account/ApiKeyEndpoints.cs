using System.Security.Claims;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Features.Account;

/// <summary>
/// Admin: API keys under <c>/api/admin/api-keys</c>. A key is shown once, in the answer to its creation; only its
/// SHA-256 is stored. Revoking takes effect on the next request. A key with an owner acts as that user and may
/// carry only roles the owner holds (checked here and again on every request, <see cref="ApiKeyAuthenticationHandler"/>),
/// so no admin can hand themselves, or anyone, a role through a key; a key without an owner never carries a role
/// that reads citizen data. Creating and revoking are audited, refusals too.
/// </summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyRequest(string? Name, string[]? Roles, string? OwnerUserId);
    public sealed record ApiKeyCreated(string Id, string Key, string Name, string OwnerName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
    public sealed record ApiKeySummary(string Id, string Prefix, string Name, string OwnerName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? RevokedAt);

    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/api-keys").WithTags("Admin").RequireAuthorization(ExitPolicies.Admin).AddEndpointFilter<ProblemMappingFilter>();
        group.MapGet("/", List).WithName("ListApiKeys");
        group.MapPost("/", Create).WithName("CreateApiKey");
        group.MapDelete("/{id}", Revoke).WithName("RevokeApiKey");
        return group;
    }

    private static async Task<Ok<List<ApiKeySummary>>> List(ExitIdentityDbContext db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(keys.OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Prefix, k.Name, k.OwnerName, k.RoleList, k.CreatedAt, k.CreatedBy, k.RevokedAt)).ToList());
    }

    private static async Task<Created<ApiKeyCreated>> Create(
        CreateApiKeyRequest body, ExitIdentityDbContext db, UserManager<IdentityUser> users, ClaimsPrincipal admin, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) failures.Add(new("name", "From 1 to 200 characters."));
        var roles = (body.Roles ?? []).Distinct().ToList();
        if (roles.Count == 0) failures.Add(new("roles", $"At least one of {string.Join(", ", ExitRoles.All)}."));
        else if (roles.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown) failures.Add(new("roles", $"Unknown role '{unknown}'."));
        IdentityUser? owner = null;
        if (body.OwnerUserId is not null && (owner = await users.FindByIdAsync(body.OwnerUserId)) is null)
            failures.Add(new("ownerUserId", "No such user."));
        if (failures.Count == 0 && owner is not null)
        {
            var held = await users.GetRolesAsync(owner);
            var extra = roles.Where(r => !held.Contains(r, StringComparer.Ordinal)).ToList();
            if (extra.Count > 0)
                failures.Add(new("roles", $"The owner does not hold {string.Join(", ", extra)}; a key carries only roles its owner has."));
        }
        else if (failures.Count == 0 && roles.FirstOrDefault(ExitRoles.ReadsCitizenData) is { } citizenRole)
        {
            failures.Add(new("roles", $"A key without an owner cannot carry '{citizenRole}', which reads citizen data; give the key an owner who holds it."));
        }

        if (failures.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, null, Purpose: Clip($"refused: key for owner {owner?.Id ?? "none"} with roles {string.Join(",", roles)}"),
                Outcome: AuditOutcome.Denied), ct: CancellationToken.None);
            throw new RequestValidationException(failures);
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
            Roles = string.Join(",", roles),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = admin.Identity?.Name,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Change, ResourceType, record.Id,
            Purpose: Clip($"created for owner {owner?.Id ?? "none"} with roles {record.Roles}")), ct: CancellationToken.None);
        return TypedResults.Created($"/api/admin/api-keys/{record.Id}",
            new ApiKeyCreated(record.Id, key, record.Name, record.OwnerName, record.RoleList, record.CreatedAt));
    }

    private static async Task<Results<NoContent, NotFound>> Revoke(string id, ExitIdentityDbContext db, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return TypedResults.NotFound();
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(AuditAction.Delete, ResourceType, key.Id, Purpose: "revoked"), ct: CancellationToken.None);
        return TypedResults.NoContent();
    }

    /// <summary>The audit log's resource type for admin actions on keys.</summary>
    public const string ResourceType = "api-key";

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500];
}
