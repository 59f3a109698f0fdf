using System.Security.Claims;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Tenancy;

namespace Exit.Host.Infrastructure.Tenancy;

/// <summary>The signed-in user's municipality as a claim, and the one rule that turns a principal into a scope.</summary>
public static class MunicipalityClaims
{
    /// <summary>The municipality id of the user (for an API key: its owner's or the key's own).</summary>
    public const string ClaimType = "exit:municipality";

    /// <summary>
    /// The tenant a request of <paramref name="user"/> runs in: the national role works in the template library
    /// (<see cref="TenantIds.Templates"/>) whatever else it carries; anyone else in the municipality of their claim.
    /// Null (no scope: sees nothing, writes nothing) for anonymous callers and a claim that is missing or malformed.
    /// </summary>
    public static string? ScopeOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        if (user.IsInRole(ExitRoles.National)) return TenantIds.Templates;
        var municipality = user.FindFirstValue(ClaimType);
        return TenantIds.IsValid(municipality) && municipality != TenantIds.Templates ? municipality : null;
    }
}
