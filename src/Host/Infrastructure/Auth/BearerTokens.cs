using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Issues the opaque bearer tokens of the shared framework's bearer-token scheme (data-protected tickets, no JWT)
/// for a signed-in user, e.g. the Studio's <c>access-token</c>. A token carries the user's id, name and roles at
/// issue time and cannot be revoked before it expires (<see cref="ExitAuthOptions.BearerTokenLifetime"/>).
/// </summary>
public sealed class BearerTokenIssuer(IOptionsMonitor<BearerTokenOptions> bearer, IOptions<ExitAuthOptions> auth, TimeProvider clock)
{
    public const string Scheme = "Bearer";

    public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

    /// <summary>
    /// A token for <paramref name="user"/>, or null unless the user signed in with the cookie: a token or an API key
    /// cannot be exchanged for a fresh token, so a token's life is never extended.
    /// </summary>
    public IssuedToken? Issue(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme) return null;
        var identity = new ClaimsIdentity(Scheme, ClaimTypes.Name, ClaimTypes.Role);
        foreach (var claim in user.Claims.Where(c => c.Type is ClaimTypes.NameIdentifier or ClaimTypes.Name or ClaimTypes.Role))
            identity.AddClaim(new Claim(claim.Type, claim.Value));

        var now = clock.GetUtcNow();
        var expires = now + auth.Value.BearerTokenLifetime;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires }, Scheme);
        return new IssuedToken(bearer.Get(Scheme).BearerTokenProtector.Protect(ticket), expires);
    }
}
