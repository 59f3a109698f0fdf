using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Exit.Host.Infrastructure.Auth;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";

    /// <summary>Claim carrying the id of the key a request was authenticated with.</summary>
    public const string KeyIdClaim = "exit:api_key_id";

    /// <summary>Every key starts with this, so a leaked key is recognisable by secret scanners.</summary>
    public const string KeyPrefix = "exit_";

    /// <summary>Lower-case hex SHA-256 of the key text: what is stored and looked up.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string NewKey() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Keys provisioned by configuration (hash only), for automation and process-level tests:
/// <c>Exit:Auth:ApiKeys:0:Name</c>, <c>…:Sha256</c>, <c>…:Roles</c> (comma-separated).
/// </summary>
public sealed class ConfiguredApiKey
{
    public string Name { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string Roles { get; set; } = "";

    /// <summary>
    /// A configured key has no owner, so it may carry the roles that read citizen data
    /// (<see cref="ExitRoles.CitizenData"/>) only when this says so explicitly; otherwise the service refuses to start.
    /// </summary>
    public bool CitizenData { get; set; }

    /// <summary>The municipality the key's requests run in (<c>…:Municipality</c>); the first municipality by default.</summary>
    public string Municipality { get; set; } = Exit.Workflows.Tenancy.TenantIds.Default;

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class ExitAuthOptions
{
    public List<ConfiguredApiKey> ApiKeys { get; set; } = new();

    /// <summary>
    /// Life of a bearer token issued to a signed-in user (Studio, which renews it while its page is open).
    /// At most <see cref="MaxBearerTokenLifetime"/>.
    /// </summary>
    public TimeSpan BearerTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan MaxBearerTokenLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Why these options cannot be used, or null: checked before the service starts.</summary>
    public string? Problem()
    {
        if (BearerTokenLifetime <= TimeSpan.Zero || BearerTokenLifetime > MaxBearerTokenLifetime)
            return $"Exit:Auth:BearerTokenLifetime must be more than zero and at most {MaxBearerTokenLifetime:c}; it is {BearerTokenLifetime:c}.";
        foreach (var key in ApiKeys)
        {
            if (!Exit.Workflows.Tenancy.TenantIds.IsValid(key.Municipality))
                return $"Exit:Auth:ApiKeys: key '{key.Name}' names '{key.Municipality}' as its municipality, which is not a municipality id.";
            if (key.RoleList.FirstOrDefault(r => !ExitRoles.IsKnown(r)) is { } unknown)
                return $"Exit:Auth:ApiKeys: key '{key.Name}' names the unknown role '{unknown}'.";
            if (!key.CitizenData && key.RoleList.FirstOrDefault(ExitRoles.ReadsCitizenData) is { } citizenRole)
                return $"Exit:Auth:ApiKeys: key '{key.Name}' has the role '{citizenRole}', which reads citizen data, but no owner. " +
                       "Set its CitizenData to true if that is really meant, or give the key only roles without citizen data.";
        }

        return null;
    }

    /// <summary>Idle time after which the sign-in cookie expires (sliding).</summary>
    public TimeSpan CookieIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c>. The key's SHA-256 is compared with the configured keys (no database read),
/// then read from the stored keys together with the key's owner (<see cref="StoredApiKeyLookup"/>, one statement, no cache); the principal carries the key's owner as name, the key's id, the municipality (the owner's;
/// for a key without an owner, the one it was created in or configured for), and the key's roles — for a
/// key with an owner only those the owner holds <b>now</b> (checked on every request, so a role taken from the
/// owner is taken from their keys, and a locked or deleted owner's keys stop working). A stored key without an
/// owner never carries a role that reads citizen data.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ExitAuthOptions> auth,
    StoredApiKeyLookup storedKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(ApiKeyDefaults.Scheme + " ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var key = header[(ApiKeyDefaults.Scheme.Length + 1)..].Trim();
        if (key.Length is 0 or > 200) return AuthenticateResult.Fail("Invalid API key.");

        var hash = ApiKeyDefaults.Hash(key);
        ClaimsIdentity identity;
        // A configured key is answered from configuration without a database read (a read per request was one more
        // transaction on PostgreSQL). Stored keys are generated by the service, so a configured key's hash never names one.
        if (auth.Value.ApiKeys.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(k.Sha256.ToLowerInvariant()), Encoding.ASCII.GetBytes(hash))) is { } configured)
        {
            // Problem() refused to start with citizen-data roles not marked CitizenData; filtered again here all the same.
            var roles = configured.RoleList.Where(r => configured.CitizenData || !ExitRoles.ReadsCitizenData(r));
            identity = Identity("apikey:" + configured.Name, "apikey:" + configured.Name, "config:" + configured.Name, configured.Municipality, roles);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
        }

        // The identity store is resolved here, not in the constructor: building it for every request cost CPU on
        // requests with a configured key that never read it (docs/performance.md, "Issues 11 and 13: the Host's own cost
        // per request"). One statement reads the key with its owner's lock-out, roles and municipality.
        var db = Context.RequestServices.GetRequiredService<ExitIdentityDbContext>();
        var stored = await storedKeys.FindAsync(db, hash, Context.RequestAborted);
        if (stored is null || stored.RevokedAt is not null) return AuthenticateResult.Fail("Invalid API key.");
        if (stored.OwnerUserId is null)
        {
            identity = Identity("apikey:" + stored.Id, stored.OwnerName, stored.Id, stored.TenantId, stored.RoleList.Where(r => !ExitRoles.ReadsCitizenData(r)));
        }
        else
        {
            if (!stored.OwnerFound || stored.OwnerLockedOut(DateTimeOffset.UtcNow)) return AuthenticateResult.Fail("Invalid API key.");
            var current = stored.OwnerRoles.OfType<string>();
            identity = Identity(stored.OwnerUserId, stored.OwnerUserName ?? stored.OwnerName, stored.Id, stored.OwnerMunicipality,
                stored.RoleList.Intersect(current, StringComparer.Ordinal));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = ApiKeyDefaults.Scheme;
        return Task.CompletedTask;
    }

    private static ClaimsIdentity Identity(string userId, string name, string keyId, string? municipality, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(ApiKeyDefaults.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, userId));
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(ApiKeyDefaults.KeyIdClaim, keyId));
        if (municipality is not null) identity.AddClaim(new Claim(Tenancy.MunicipalityClaims.ClaimType, municipality));
        foreach (var role in roles.Where(ExitRoles.IsKnown)) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return identity;
    }
}
