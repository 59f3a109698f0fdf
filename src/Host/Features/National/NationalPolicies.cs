using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Features.National;

/// <summary>
/// The national report's policy: the national role only. Kept beside the report so its branch needs no change to the
/// shared policy list; it can become an <see cref="ExitPolicies"/> entry when the national role has more to do.
/// </summary>
public static class NationalPolicies
{
    public const string Report = "national-report";

    public static void AddTo(Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder) =>
        builder.AddPolicy(Report, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.National));
}
