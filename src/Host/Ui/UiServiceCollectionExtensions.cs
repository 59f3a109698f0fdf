using System.Globalization;
using Exit.Activities.Cti.Application;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Localization;

namespace Exit.Host.Ui;

/// <summary>
/// The server-rendered web UI (Razor Pages in <c>Ui/Pages</c>, static files in <c>wwwroot</c>). Danish by default,
/// English through <c>?lang=en</c> (remembered in a cookie). Folders are protected by role policies; the
/// authentication scheme itself (cookie sign-in at <c>/account/login</c>) is registered by the auth module.
/// </summary>
public static class UiServiceCollectionExtensions
{
    /// <summary>Path prefixes served by the UI: culture switching applies to these only (never to the APIs).</summary>
    public static readonly string[] UiPaths = ["/ui", "/worker", "/manager", "/supervisor", "/account", "/intake", "/admin", "/volunteer", "/national"];

    public static IServiceCollection AddExitUi(this IServiceCollection services, DatabaseOptions database)
    {
        // The CTI module is needed by the pages; register it unless Program.cs already did.
        if (!services.Any(d => d.ServiceType == typeof(CtiCourseService))) services.AddCtiFeature(database);

        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Ui/Pages";
            o.Conventions.AuthorizeFolder("/Worker", UiPolicies.Worker);
            o.Conventions.AuthorizeFolder("/Manager", UiPolicies.Manager);
            o.Conventions.AuthorizeFolder("/Supervisor", UiPolicies.Supervisor);
            o.Conventions.AuthorizeFolder("/Tasks", UiPolicies.Casework);
            o.Conventions.AuthorizeFolder("/Intake", UiPolicies.Intake);
            o.Conventions.AuthorizeFolder("/Admin", UiPolicies.Admin);
            // Studio's "Alter" action leads here: the same rights as the Elsa API's changes.
            o.Conventions.AuthorizeFolder("/Alterations", ExitPolicies.ElsaWrite);
            o.Conventions.AuthorizeFolder("/Alterations", ExitPolicies.ElsaInstances); // instances: never the national role
            o.Conventions.AuthorizeFolder("/Volunteer", ExitPolicies.Volunteer);
            o.Conventions.AuthorizePage("/Index", ExitPolicies.Staff);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(UiPolicies.Worker, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Worker))
            .AddPolicy(UiPolicies.Manager, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Manager))
            .AddPolicy(UiPolicies.Supervisor, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Supervisor))
            .AddPolicy(UiPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Admin))
            .AddPolicy(UiPolicies.Casework, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Worker, ExitRoles.Supervisor))
            .AddPolicy(UiPolicies.Intake, p => p.RequireAuthenticatedUser().RequireRole(ExitRoles.Worker, ExitRoles.Manager));

        services.AddSingleton<UiText>();
        services.AddScoped<UiQueries>();
        services.AddScoped<UiAccess>();
        // Course lookups for the auth module's caseload checks, from the CTI store (its default finds nothing).
        var directory = services.LastOrDefault(d => d.ServiceType == typeof(ICourseDirectory));
        if (directory is null || directory.ImplementationType == typeof(NoCourseDirectory))
            services.Replace(ServiceDescriptor.Scoped<ICourseDirectory, CtiCourseDirectory>());
        return services;
    }

    public static WebApplication UseExitUi(this WebApplication app)
    {
        app.UseStaticFiles();
        var cultures = new[] { new CultureInfo("da-DK"), new CultureInfo("en-GB") };
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("da-DK"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        localization.RequestCultureProviders.Clear();
        localization.RequestCultureProviders.Add(new LangQueryCultureProvider());
        localization.RequestCultureProviders.Add(new CookieRequestCultureProvider { CookieName = UiCulture.CookieName });
        app.UseWhen(c => UiPaths.Any(p => c.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)), ui =>
        {
            ui.UseRequestLocalization(localization);
            ui.Use(UiCulture.RememberChoice);
            // Pages show citizen data: never kept in a browser or proxy cache.
            ui.Use((context, next) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return next(context);
            });
        });
        return app;
    }

    public static WebApplication MapExitUi(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

/// <summary>The auth module's role names, under the name the pages use.</summary>
public static class UiRoles
{
    public const string Worker = ExitRoles.Worker;
    public const string Coordinator = ExitRoles.Coordinator;
    public const string Manager = ExitRoles.Manager;
    public const string Supervisor = ExitRoles.Supervisor;
    public const string Admin = ExitRoles.Admin;
    public const string Volunteer = ExitRoles.Volunteer;
}

public static class UiPolicies
{
    public const string Worker = "ui.worker";
    public const string Manager = "ui.manager";
    public const string Supervisor = "ui.supervisor";
    public const string Admin = "ui.admin";

    /// <summary>Task pages: workers (their caseload's tasks) and supervisors (supervision tasks); checked per task.</summary>
    public const string Casework = "ui.casework";

    /// <summary>The intake register: workers and managers (enquiries come before any caseload).</summary>
    public const string Intake = "ui.intake";
}

/// <summary><c>?lang=da</c> or <c>?lang=en</c> picks the language for this request (and, by <see cref="UiCulture"/>, the next ones).</summary>
internal sealed class LangQueryCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Task.FromResult(UiCulture.FromQuery(httpContext) is { } c ? new ProviderCultureResult(c) : null);
}

public static class UiCulture
{
    public const string CookieName = "exit-lang";

    public static string? FromQuery(HttpContext context) =>
        context.Request.Query["lang"].ToString() switch
        {
            "da" => "da-DK",
            "en" => "en-GB",
            _ => null,
        };

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>Stores a language picked with <c>?lang=</c> in the cookie (one year, essential: it holds no personal data).</summary>
    public static async Task RememberChoice(HttpContext context, Func<Task> next)
    {
        if (FromQuery(context) is { } culture)
        {
            context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        }

        await next();
    }
}
