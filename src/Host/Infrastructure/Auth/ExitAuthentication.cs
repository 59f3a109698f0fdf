using Exit.Host.Infrastructure.Audit;
using Exit.Workflows.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// Authentication and authorization wiring. One policy scheme (<see cref="PolicyScheme"/>) is the default: it
/// forwards to the API-key handler for <c>Authorization: ApiKey …</c>, to the bearer-token handler for
/// <c>Authorization: Bearer …</c>, and to the Identity cookie otherwise. API paths answer 401/403 problem+json;
/// pages redirect to <c>/account/login</c>.
/// </summary>
public static class ExitAuthentication
{
    public const string PolicyScheme = "Exit";
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>Paths answered with status codes, never redirects.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/elsa/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health");

    public static IServiceCollection AddExitAuth(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        services.TryAddSingleton(new ConfidentialTaskKinds([]));
        services.Configure<ExitAuthOptions>(configuration.GetSection("Exit:Auth"));
        var auth = configuration.GetSection("Exit:Auth").Get<ExitAuthOptions>() ?? new ExitAuthOptions();
        services.TryAddSingleton(TimeProvider.System);

        services.AddDbContextFactory<ExitIdentityDbContext>(o => Configure(o, database));
        services.AddSingleton<StoredApiKeyLookup>();
        services.AddHttpContextAccessor();
        // Municipalities: the user's (one place), and the runtime's tenant list from the municipality table.
        services.AddScoped<Tenancy.UserMunicipalities>();
        services.Replace(ServiceDescriptor.Singleton<Exit.Workflows.Tenancy.ITenantDirectory, Tenancy.MunicipalityDirectory>());
        // Admin actions, shared by the admin API and the admin pages.
        services.AddScoped<Features.Account.Admin.UserAdministration>();
        services.AddScoped<Features.Account.Admin.ApiKeyAdministration>();
        services.AddScoped<Features.Municipalities.MunicipalityAdministration>();

        services.AddIdentityCore<IdentityUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 4;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version1;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ExitIdentityDbContext>()
            .AddClaimsPrincipalFactory<Tenancy.MunicipalityClaimsPrincipalFactory>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Role or password changes reach signed-in sessions within five minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultChallengeScheme = PolicyScheme;
                o.DefaultForbidScheme = PolicyScheme;
            })
            .AddPolicyScheme(PolicyScheme, "Cookie, bearer token or API key", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenIssuer.Scheme, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "exit.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = auth.CookieIdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = AccessDeniedPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorization(o =>
        {
            ExitPolicies.AddTo(o);
            // An endpoint that names no policy still needs a signed-in staff member; anonymous ones say AllowAnonymous.
            o.FallbackPolicy = o.GetPolicy(ExitPolicies.Staff);
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        services.AddSingleton<BearerTokenIssuer>();
        services.TryAddScoped<ICourseDirectory, NoCourseDirectory>();
        services.TryAddScoped<ISupportPersonDirectory, NoSupportPersonDirectory>();
        services.TryAddScoped<ICaseloadAccess, CaseloadAccess>();
        services.AddAntiforgery();
        services.AddAuditLog();
        // Each instance a bulk alteration plan alters is audited in its own commit (needs the course directory above).
        services.TryAddScoped<Exit.Workflows.Alterations.IAlterationJobAudit, Features.Elsa.Alterations.AlterationJobAudit>();
        services.TryAddScoped<Features.Elsa.Alterations.AuditedAlteration>();
        return services;
    }

    /// <summary>Which handler reads this request: by the Authorization header's scheme word.</summary>
    public static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith(ApiKeyDefaults.Scheme + " ", StringComparison.OrdinalIgnoreCase)) return ApiKeyDefaults.Scheme;
        if (header.StartsWith(BearerTokenIssuer.Scheme + " ", StringComparison.OrdinalIgnoreCase)) return BearerTokenIssuer.Scheme;
        return IdentityConstants.ApplicationScheme;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApiPath(context.Request.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Empty 401/403 answers on API paths get a problem+json body (the handlers only set the status).
    /// </summary>
    public static IApplicationBuilder UseExitAuthProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden) || !IsApiPath(http.Request.Path)) return;
            var result = status == StatusCodes.Status401Unauthorized
                ? TypedResults.Problem(title: "Authentication required", detail: "Sign in, or send Authorization: ApiKey <key> or Bearer <token>.", statusCode: status)
                : TypedResults.Problem(title: "Forbidden", detail: "Your role does not allow this.", statusCode: status);
            await result.ExecuteAsync(http);
        });

    internal static void Configure(DbContextOptionsBuilder builder, DatabaseOptions database)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var cs = new SqliteConnectionStringBuilder(database.ConnectionString);
                if (cs.DefaultTimeout < 30) cs.DefaultTimeout = 30;
                builder.UseSqlite(cs.ToString(), o => o.MigrationsHistoryTable(ExitIdentityDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(database.ConnectionString, o => o.MigrationsHistoryTable(ExitIdentityDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(database.ConnectionString, o => o.MigrationsHistoryTable(ExitIdentityDbContext.MigrationsHistoryTable));
                break;
            default:
                throw new NotSupportedException($"Provider {database.Provider} is not supported by the identity store.");
        }

        // API keys and audit entries are municipality-owned: stamped with the scope on insert, never changed across it.
        builder.AddInterceptors(Exit.Workflows.Tenancy.TenantStampingInterceptor.Instance);
        // Each provider runs only its own migration set. SQLite/PostgreSQL: hand-written, no snapshot, a test compares the
        // migrated schema with the model instead; SQL Server: generated with a snapshot, a test checks it against the model.
        Exit.Workflows.Persistence.ProviderMigrationsAssembly.UseProviderMigrationSet(builder);
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}
