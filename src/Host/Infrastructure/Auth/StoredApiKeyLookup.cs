using Exit.Host.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// A stored API key with everything its authentication decides on — the key, its owner, the owner's lock-out, roles and
/// municipality — in one statement, so one round trip per request. Read on every request, never cached: a revocation,
/// lock-out or role change committed on any host holds for the very next request on every host. A singleton per service
/// provider, because EF refuses a compiled query on a model other than the one it was compiled against (two hosts in
/// one process, as the tests run them, have two).
/// </summary>
public sealed class StoredApiKeyLookup
{
    /// <summary>The key's row and, when it has an owner who still exists, the owner's (<see cref="OwnerFound"/>).</summary>
    public sealed class Row
    {
        public string Id { get; init; } = "";
        public string? OwnerUserId { get; init; }
        public string OwnerName { get; init; } = "";
        public string Roles { get; init; } = "";
        public string TenantId { get; init; } = "";
        public DateTimeOffset? RevokedAt { get; init; }
        public bool OwnerFound { get; init; }
        public string? OwnerUserName { get; init; }
        public bool? OwnerLockoutEnabled { get; init; }
        public DateTimeOffset? OwnerLockoutEnd { get; init; }
        public string? OwnerMunicipality { get; init; }
        public List<string?> OwnerRoles { get; init; } = [];

        public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>
        /// As Identity's <c>UserManager.IsLockedOutAsync</c> decides it: lock-out enabled and its end not passed, on the
        /// system clock (Identity sets and checks lock-outs on it, not on the service's injected clock).
        /// </summary>
        public bool OwnerLockedOut(DateTimeOffset now) => OwnerLockoutEnabled == true && OwnerLockoutEnd >= now;
    }

    // Compiled once: the request path skips EF's query-cache lookup (hashing the expression tree) on every request.
    // Across municipalities on purpose (IgnoreQueryFilters): the key itself says which municipality the request runs in.
    // The owner is a left join (a key without an owner, or whose owner was deleted, still has its row); the roles are a
    // collection EF reads in the same statement as a left join on the owner's role rows.
    private readonly Func<ExitIdentityDbContext, string, CancellationToken, Task<Row?>> _query =
        EF.CompileAsyncQuery((ExitIdentityDbContext db, string hash, CancellationToken ct) =>
            (from k in db.ApiKeys.IgnoreQueryFilters()
             join u in db.Users on k.OwnerUserId equals u.Id into owners
             from u in owners.DefaultIfEmpty()
             where k.Hash == hash
             select new Row
             {
                 Id = k.Id,
                 OwnerUserId = k.OwnerUserId,
                 OwnerName = k.OwnerName,
                 Roles = k.Roles,
                 TenantId = k.TenantId,
                 RevokedAt = k.RevokedAt,
                 OwnerFound = u != null,
                 OwnerUserName = u!.UserName,
                 OwnerLockoutEnabled = (bool?)u.LockoutEnabled,
                 OwnerLockoutEnd = u.LockoutEnd,
                 OwnerMunicipality = EF.Property<string?>(u, UserMunicipalities.Column),
                 OwnerRoles = (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where ur.UserId == k.OwnerUserId
                               select r.Name).ToList(),
             }).FirstOrDefault());

    /// <summary>The key whose SHA-256 is <paramref name="hash"/>, revoked or not, or null when there is none.</summary>
    public Task<Row?> FindAsync(ExitIdentityDbContext db, string hash, CancellationToken ct) => _query(db, hash, ct);
}
