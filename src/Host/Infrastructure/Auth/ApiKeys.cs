using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
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
}

public sealed class ExitAuthOptions
{
    public List<ConfiguredApiKey> ApiKeys { get; set; } = new();

    /// <summary>Life of a bearer token issued to a signed-in user (Studio). A working day by default.</summary>
    public TimeSpan BearerTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Idle time after which the sign-in cookie expires (sliding).</summary>
    public TimeSpan CookieIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c>. The key's SHA-256 is looked up among the stored, unrevoked keys (then
/// the configured ones); the principal carries the key's owner as name and the key's roles.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ExitIdentityDbContext db,
    IOptions<ExitAuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(ApiKeyDefaults.Scheme + " ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var key = header[(ApiKeyDefaults.Scheme.Length + 1)..].Trim();
        if (key.Length is 0 or > 200) return AuthenticateResult.Fail("Invalid API key.");

        var hash = ApiKeyDefaults.Hash(key);
        var stored = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        ClaimsIdentity identity;
        if (stored is not null)
        {
            if (stored.RevokedAt is not null) return AuthenticateResult.Fail("Invalid API key.");
            identity = Identity(stored.OwnerUserId ?? "apikey:" + stored.Id, stored.OwnerName, stored.Id, stored.RoleList);
        }
        else if (auth.Value.ApiKeys.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(
                     Encoding.ASCII.GetBytes(k.Sha256.ToLowerInvariant()), Encoding.ASCII.GetBytes(hash))) is { } configured)
        {
            var roles = configured.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            identity = Identity("apikey:" + configured.Name, "apikey:" + configured.Name, "config:" + configured.Name, roles);
        }
        else
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = ApiKeyDefaults.Scheme;
        return Task.CompletedTask;
    }

    private static ClaimsIdentity Identity(string userId, string name, string keyId, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(ApiKeyDefaults.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, userId));
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(ApiKeyDefaults.KeyIdClaim, keyId));
        foreach (var role in roles.Where(ExitRoles.IsKnown)) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return identity;
    }
}
