using Exit.Host.Features.Account.Mfa;
using Microsoft.AspNetCore.HttpOverrides;

namespace Exit.Host.Infrastructure.WebSecurity;

/// <summary>
/// The defences a service on the internet needs, in two calls from Program.cs: forwarded headers from known proxies,
/// security headers and HSTS first in the pipeline; the MFA enrolment gate and the sign-in rate limits right after
/// authentication. <c>AllowedHosts</c> (top-level setting) is ASP.NET Core's host filtering, on by default.
/// </summary>
public static class WebSecurityExtensions
{
    public static IServiceCollection AddExitWebSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddExitForwardedHeaders(configuration);
        services.AddSignInLimits(configuration);
        services.AddScoped<UnknownAccountPasswordCheck>();
        services.AddExitMfa(configuration);
        return services;
    }

    /// <summary>First in the pipeline: the client's scheme and address, then the headers every answer carries.</summary>
    public static IApplicationBuilder UseExitWebSecurity(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseHsts(); // only on HTTPS requests (after forwarding), never for localhost
        return app;
    }

    /// <summary>After authentication, before authorization.</summary>
    public static IApplicationBuilder UseExitSignInDefences(this IApplicationBuilder app)
    {
        app.UseMfaEnrolmentGate();
        app.UseRateLimiter();
        return app;
    }
}
