using System.Security.Claims;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;

namespace Exit.Host.Features.Account.Mfa;

/// <summary>
/// Who must sign in with a second factor: admin, manager, supervisor and coordinator, when <c>Exit:Auth:RequireMfa</c>
/// is on (default on; off by default in demo mode, so the documented demo users stay usable with a password). Workers
/// may enrol and are then asked for the code too (Identity asks everyone whose two-factor sign-in is enabled).
/// A session that proved a second factor carries the claim <c>amr=mfa</c> (Identity adds it on the second step; we add
/// it when an enrolment is confirmed with a code).
/// </summary>
public sealed class MfaRequirement(bool enabled)
{
    public const string AmrClaim = "amr";
    public const string AmrMfa = "mfa";

    public static readonly IReadOnlyList<string> Roles = [ExitRoles.Admin, ExitRoles.Manager, ExitRoles.Supervisor, ExitRoles.Coordinator];

    public bool Enabled { get; } = enabled;

    public static MfaRequirement From(IConfiguration configuration) =>
        new(configuration.GetValue<bool?>("Exit:Auth:RequireMfa") ?? !configuration.GetValue<bool>("Exit:Demo"));

    public bool IsRequiredFor(IEnumerable<string> roles) => Enabled && roles.Any(r => Roles.Contains(r, StringComparer.Ordinal));

    public bool IsRequiredFor(ClaimsPrincipal user) => Enabled && Roles.Any(user.IsInRole);

    public static bool HasSecondFactor(ClaimsPrincipal user) => user.HasClaim(AmrClaim, AmrMfa);

    /// <summary>Security-stamp checks rebuild the session's principal; the second-factor claim must survive them.</summary>
    public static void KeepSecondFactorOnRefresh(SecurityStampValidatorOptions options) =>
        options.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal is { } current && HasSecondFactor(current) && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && !identity.HasClaim(AmrClaim, AmrMfa))
                identity.AddClaim(new Claim(AmrClaim, AmrMfa));
            return Task.CompletedTask;
        };
}

/// <summary>The gate of <see cref="MfaRequirement"/>: enrol before anything else.</summary>
public static class MfaEnrolmentGate
{
    /// <summary>
    /// A cookie session of a role that needs MFA, signed in with a password only, must enrol first: pages lead to
    /// <see cref="MfaSetupPage.Path"/>, API calls answer 403 problem+json. Only the enrolment and sign-in/out pages and
    /// the stylesheets stay open. API keys and bearer tokens are not affected (tokens are only issued to sessions
    /// that got past this gate).
    /// </summary>
    public static IApplicationBuilder UseMfaEnrolmentGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var user = context.User;
            var requirement = context.RequestServices.GetRequiredService<MfaRequirement>();
            if (user.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == IdentityConstants.ApplicationScheme
                && requirement.IsRequiredFor(user) && !MfaRequirement.HasSecondFactor(user) && !IsOpenDuringEnrolment(context.Request.Path))
            {
                if (ExitAuthentication.IsApiPath(context.Request.Path))
                {
                    await TypedResults.Problem(title: "Multi-factor sign-in required",
                        detail: "Your role signs in with an authenticator code. Set it up at " + MfaSetupPage.Path + ".",
                        statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                    return;
                }

                var returnUrl = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect(MfaSetupPage.Path + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
                return;
            }

            await next(context);
        });

    private static bool IsOpenDuringEnrolment(PathString path) =>
        path.StartsWithSegments(MfaSetupPage.Path) || path.StartsWithSegments(ExitAuthentication.LogoutPath)
        || path.StartsWithSegments(ExitAuthentication.LoginPath) || path.StartsWithSegments("/css") || path.StartsWithSegments("/health");
}
