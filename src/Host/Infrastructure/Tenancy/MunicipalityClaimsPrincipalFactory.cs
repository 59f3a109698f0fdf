using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>
/// Identity's principal (roles, security stamp) plus the user's municipality (<see cref="MunicipalityClaims.ClaimType"/>):
/// what the sign-in cookie carries, and what the security-stamp check renews.
/// </summary>
public sealed class MunicipalityClaimsPrincipalFactory(
    UserManager<IdentityUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options,
    UserMunicipalities municipalities)
    : UserClaimsPrincipalFactory<IdentityUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(IdentityUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (await municipalities.OfAsync(user.Id, CancellationToken.None) is { } municipality)
            identity.AddClaim(new Claim(MunicipalityClaims.ClaimType, municipality));
        return identity;
    }
}
