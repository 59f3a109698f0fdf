using System.Text.Json.Serialization;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Account;
using Exit.Host.Features.Cti;
using Exit.Host.Features.Elsa;
using Exit.Host.Features.Intake;
using Exit.Host.Features.National;
using Exit.Host.Features.SupportPersons;
using Exit.Host.Features.Tasks;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Backup;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Configuration;
using Exit.Host.Infrastructure.Health;
using Exit.Host.Infrastructure.Logging;
using Exit.Host.Infrastructure.WebSecurity;
using Exit.Host.Features.Account.Mfa;
using Exit.Host.Infrastructure.Privacy;
using Exit.Host.Infrastructure.Telemetry;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Host.Features.Municipalities;
using Exit.Host.Features.Templates;
using Exit.Host.Studio;
using Exit.Host.Ui;
using Exit.Workflows.Hosting;
using Exit.Workflows.Timers;

if (CreateUserCommand.TryTake(args, out var createUser, out args, out var createUserError) && createUserError is not null)
{
    Console.Error.WriteLine(createUserError);
    return 2;
}

if (DatabaseCommand.TryTake(args, out var databaseCommand, out args, out var databaseCommandError) && databaseCommandError is not null)
{
    Console.Error.WriteLine(databaseCommandError);
    return 2;
}

// "--demo" is a switch, not a key=value pair: taken out before the configuration reads the rest.
var demo = args.Contains("--demo");
args = [.. args.Where(a => a != "--demo")];
var builder = WebApplication.CreateBuilder(args);
if (demo) builder.Configuration["Exit:Demo"] = "true";
builder.AddExitLogging();

var exit = builder.Configuration.GetSection("Exit").Get<ExitOptions>() ?? new ExitOptions();
var database = exit.Database.ToDatabaseOptions(builder.Environment.ContentRootPath);
if (databaseCommand is not null) return await DatabaseCommand.RunAsync(databaseCommand, database, Console.Out);
// First hosted service: held before the stores migrate, so a restore cannot swap the file under a starting service.
ServiceLockHost.Register(builder.Services, database);
if (exit.Demo && builder.Environment.IsProduction())
    return Refuse("Demo mode (--demo, Exit:Demo) refuses to start in the Production environment: it creates users with a published " +
                  "password and uses a published CPR key. Run the demo with ASPNETCORE_ENVIRONMENT=Development (dotnet run does).");
var authOptions = builder.Configuration.GetSection("Exit:Auth").Get<ExitAuthOptions>() ?? new ExitAuthOptions();
if (authOptions.Problem() is { } authProblem) return Refuse(authProblem);

builder.Services.AddExitWorkflows(new ExitWorkflowOptions
{
    Database = database,
    // Exit:Scheduling (Clustered, ClusterCheckinInterval, TimerClaimLease, ...); the zone is Exit:TimeZone.
    Scheduling = Exit.Host.Infrastructure.Configuration.SchedulingSettings.From(builder.Configuration, exit.TimeZone),
    DefinitionsFolder = Path.GetFullPath(exit.DefinitionsFolder, AppContext.BaseDirectory),
    JavaScript = builder.Configuration.GetSection("Exit:JavaScript").Get<Exit.Workflows.Expressions.JavaScriptOptions>() ?? new(),
});
builder.Services.AddHumanTasks(o =>
{
    o.Provider = database.Provider;
    o.ConnectionString = database.ConnectionString;
    o.Roles = ExitRoles.All; // one list of roles: Studio offers these, publishing refuses any other
});
builder.Services.AddRoleNamesInDefinitions();
builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
builder.Services.AddExitAuth(builder.Configuration, database);
builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateIdentityAsync(ct)));
builder.Services.AddExitWebSecurity(builder.Configuration); // forwarded headers, security headers, sign-in limits, MFA

if (exit.Demo && exit.DemoData) builder.Services.AddHostedService<Exit.Host.Infrastructure.Demo.DemoDataSeeder>();
builder.Services.AddCtiFeature(database, exit.WorkingDays);
Exit.Host.Features.Reports.ReportFeatureServiceCollectionExtensions.AddCtiReportsFeature(builder.Services, builder.Configuration); // outcome and fidelity reports
builder.Services.AddNationalReport(); // the cross-municipality report (national role)
try
{
    builder.Services.AddCprProtection(builder.Configuration, exit.Demo, required: createUser is null);
    builder.Services.AddSupportPersonsFeature(database, builder.Configuration); // SKP register, matches, supervision series
    builder.Services.AddExitDataProtection(builder.Configuration, builder.Environment);
}
catch (StartupRefusedException refused)
{
    return Refuse(refused.Message);
}
builder.Services.AddExitPrivacy(builder.Configuration, exit.TimeZone);

builder.Services.AddExitMediator();
builder.Services.AddExitProblemDetails();
// API bodies: a size cap, and binding failures thrown (in every environment) so ApiRequestGuard answers problem+json.
builder.Services.AddSingleton(builder.Configuration.GetSection("Exit:Requests").Get<Exit.Host.Infrastructure.Requests.ApiRequestOptions>() ?? new());
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddElsaApi(builder.Configuration.GetSection("Exit:Import").Get<Exit.Host.Features.Elsa.Definitions.ImportLimits>());
builder.Services.AddStudio(o =>
{
    o.AccessTokenProvider = context => context.RequestServices.GetRequiredService<BearerTokenIssuer>().Issue(context.User)?.AccessToken;
    // Renewed at half its life, so one failed round still leaves time for the next.
    o.TokenRenewalPath = AccountEndpoints.TokenPath;
    o.TokenRenewalInterval = authOptions.BearerTokenLifetime / 2;
});
builder.Services.AddOpenApi();
builder.Services.AddExitHealthChecks(builder.Configuration);
builder.Services.AddExitTelemetry(builder.Configuration);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

// --- Web UI (Razor Pages under src/Host/Ui; also registers the CTI module if nothing else did) ---
builder.Services.AddExitUi(database);
// --- end Web UI ---

var app = builder.Build();
if (createUser is not null) return await CreateUserCommand.RunAsync(app.Services, createUser, Console.In, Console.Out);

app.UseExitWebSecurity();
app.UseExceptionHandler();
app.UseExitRequestLogging();
app.UseExitAuthProblems();
app.UseMiddleware<Exit.Host.Infrastructure.Requests.ApiRequestGuard>();
app.UseAnonymousStylesheets(); // before sign-in: the sign-in page needs its stylesheet
app.UseAuthentication();
app.UseMunicipalityScope(); // the rest of the request runs in the signed-in user's municipality (never a fallback)
app.UseRefusalAudit(); // every 403 and 404 of a signed-in caller in the caller's own audit log
app.UseJsonOnlyForCookieApiChanges();
app.UseExitSignInDefences();
app.UseAuthorization();
app.UseAntiforgery();

// Anonymous: liveness/readiness (no data) and the sign-in page. Everything else names its policy.
app.MapOpenApi().RequireAuthorization(ExitPolicies.Staff);
app.MapExitHealthChecks(); // /health, /health/ready, /health/live: anonymous
app.MapExitMetrics();
app.MapAccountPages();
app.MapPasswordPage();
app.MapMfaPages();
app.MapAccountEndpoints();
app.MapApiKeyEndpoints();
app.MapUserAdminEndpoints();
app.MapMunicipalityEndpoints(); // national role
app.MapTemplateEndpoints(); // coordinators adopt from the national template library
app.MapAuditEndpoints();
app.MapCitizenDataEndpoints();
app.MapElsaApi().RequireElsaPolicies();
app.MapTaskEndpoints().RequireTaskPolicies();
app.MapCtiEndpoints().RequireCtiPolicies();
app.MapNationalReport(); // GET /api/national/report
app.MapIntakeEndpoints();
app.MapSupportPersons();
app.MapStudio().RequireAuthorization(ExitPolicies.Studio);
// The landing page: coordinators design in Studio; everyone else starts in the web UI (which signs in first).
app.MapGet("/", (System.Security.Claims.ClaimsPrincipal user) =>
        Results.Redirect(user.IsInRole(ExitRoles.Coordinator) && !user.IsInRole(ExitRoles.Worker) && !user.IsInRole(ExitRoles.Manager) ? "/studio/" : "/ui"))
    .ExcludeFromDescription().AllowAnonymous();

// --- Web UI (Razor Pages; each folder names its policy) ---
app.UseExitUi();
app.MapExitUi();
// --- end Web UI ---

try
{
    app.Run();
}
catch (Exception e) when (Refusal(e) is { } refused)
{
    return Refuse(refused.Message);
}

return 0;

// A refusal to start is a sentence for the operator and a non-zero exit code, not a stack trace.
static int Refuse(string message)
{
    Console.Error.WriteLine("Exit refuses to start: " + message);
    return 3;
}

static StartupRefusedException? Refusal(Exception? e)
{
    for (; e is not null; e = e.InnerException)
    {
        if (e is StartupRefusedException refused) return refused;
        if (e is AggregateException { InnerExceptions: var inner } && inner.Select(Refusal).FirstOrDefault(r => r is not null) is { } found) return found;
    }

    return null;
}

public partial class Program;
