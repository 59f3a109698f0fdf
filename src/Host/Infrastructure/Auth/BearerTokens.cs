using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Issues the opaque bearer tokens (data-protected tickets, no JWT) that Elsa Studio sends to the Elsa API: its
/// <c>access-token</c>, renewed by the Studio page while it is open. A token is short-lived
/// (<see cref="ExitAuthOptions.BearerTokenLifetime"/>, at most 30 minutes), is accepted on <c>/elsa/api</c> only,
/// and carries the user's security stamp: signing out, a role change or a password change (each renews the stamp)
/// or a locked account ends every token at once (<see cref="BearerTokenAuthenticationHandler"/>).
/// </summary>
public sealed class BearerTokenIssuer(IDataProtectionProvider protection, IOptions<ExitAuthOptions> auth, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    public const string Scheme = "Bearer";

    /// <summary>The only path prefix a bearer token opens: Studio's API.</summary>
    public static readonly PathString ValidOn = "/elsa/api";

    public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

    internal TicketDataFormat Format { get; } = new(protection.CreateProtector("Exit.BearerToken.v2"));

    internal string SecurityStampClaim => identity.Value.ClaimsIdentity.SecurityStampClaimType;

    /// <summary>
    /// A token for <paramref name="user"/>, or null unless the user signed in with the cookie: a token or an API key
    /// cannot be exchanged for a fresh token, so a token's life is never extended without the session.
    /// </summary>
    public IssuedToken? Issue(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme) return null;
        var stamp = user.FindFirstValue(SecurityStampClaim);
        if (string.IsNullOrEmpty(stamp)) return null;
        var identity = new ClaimsIdentity(Scheme, ClaimTypes.Name, ClaimTypes.Role);
        foreach (var claim in user.Claims.Where(c => c.Type is ClaimTypes.NameIdentifier or ClaimTypes.Name or ClaimTypes.Role or Tenancy.MunicipalityClaims.ClaimType))
            identity.AddClaim(new Claim(claim.Type, claim.Value));
        identity.AddClaim(new Claim(SecurityStampClaim, stamp));

        var now = clock.GetUtcNow();
        var expires = now + auth.Value.BearerTokenLifetime;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires }, Scheme);
        return new IssuedToken(Format.Protect(ticket), expires);
    }
}

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> from <see cref="BearerTokenIssuer"/>: refused outside <c>/elsa/api</c>,
/// after its expiry, when the user's security stamp has changed since it was issued, and when the user is locked
/// out or deleted. Checked on every request.
/// </summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokenIssuer issuer,
    UserManager<IdentityUser> users,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(BearerTokenIssuer.Scheme + " ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (!Request.Path.StartsWithSegments(BearerTokenIssuer.ValidOn)) return AuthenticateResult.Fail("Bearer tokens are accepted on /elsa/api only.");
        var token = header[(BearerTokenIssuer.Scheme.Length + 1)..].Trim();
        if (token.Length is 0 or > 8192 || issuer.Format.Unprotect(token) is not { } ticket) return AuthenticateResult.Fail("Invalid token.");
        if (ticket.Properties.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow()) return AuthenticateResult.Fail("The token has expired.");

        var principal = ticket.Principal;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue(issuer.SecurityStampClaim);
        if (userId is null || stamp is null || await users.FindByIdAsync(userId) is not { } user) return AuthenticateResult.Fail("Invalid token.");
        if (!string.Equals(await users.GetSecurityStampAsync(user), stamp, StringComparison.Ordinal)) return AuthenticateResult.Fail("The token has been revoked.");
        if (await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The account is locked.");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ticket.Properties, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = BearerTokenIssuer.Scheme;
        return Task.CompletedTask;
    }
}
