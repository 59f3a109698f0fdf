using System.Text.Json.Serialization;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Account;
using Exit.Host.Features.Cti;
using Exit.Host.Features.Elsa;
using Exit.Host.Features.Tasks;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Configuration;
using Exit.Host.Infrastructure.Health;
using Exit.Host.Infrastructure.Logging;
using Exit.Host.Studio;
using Exit.Host.Ui;
using Exit.Workflows.Hosting;
using Exit.Workflows.Scheduling;

if (CreateUserCommand.TryTake(args, out var createUser, out args, out var createUserError) && createUserError is not null)
{
    Console.Error.WriteLine(createUserError);
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

builder.Services.AddExitWorkflows(new ExitWorkflowOptions
{
    Database = database,
    Scheduling = new SchedulingOptions { TimeZone = exit.TimeZone },
    DefinitionsFolder = Path.GetFullPath(exit.DefinitionsFolder, AppContext.BaseDirectory),
});
builder.Services.AddHumanTasks(o =>
{
    o.Provider = database.Provider;
    o.ConnectionString = database.ConnectionString;
});
builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
builder.Services.AddExitAuth(builder.Configuration, database);
builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateIdentityAsync(ct)));

if (exit.Demo && exit.DemoData) builder.Services.AddHostedService<Exit.Host.Infrastructure.Demo.DemoDataSeeder>();
builder.Services.AddCtiFeature(database, exit.WorkingDays);
builder.Services.AddCprProtection(builder.Configuration, exit.Demo);

builder.Services.AddExitMediator();
builder.Services.AddExitProblemDetails();
builder.Services.AddElsaApi();
builder.Services.AddStudio(o => o.AccessTokenProvider = context =>
    context.RequestServices.GetRequiredService<BearerTokenIssuer>().Issue(context.User)?.AccessToken);
builder.Services.AddOpenApi();
builder.Services.AddExitHealthChecks();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

// --- Web UI (Razor Pages under src/Host/Ui; also registers the CTI module if nothing else did) ---
builder.Services.AddExitUi(database);
// --- end Web UI ---

var app = builder.Build();
if (createUser is not null) return await CreateUserCommand.RunAsync(app.Services, createUser, Console.In, Console.Out);

app.UseExceptionHandler();
app.UseMiddleware<RequestLoggingMiddleware>();
app.UseExitAuthProblems();
app.UseAnonymousStylesheets(); // before sign-in: the sign-in page needs its stylesheet
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// Anonymous: liveness/readiness (no data) and the sign-in page. Everything else names its policy.
app.MapOpenApi().RequireAuthorization(ExitPolicies.Staff);
app.MapExitHealthChecks().AllowAnonymous();
app.MapAccountPages();
app.MapPasswordPage();
app.MapAccountEndpoints();
app.MapApiKeyEndpoints();
app.MapUserAdminEndpoints();
app.MapAuditEndpoints();
app.MapElsaApi().RequireElsaPolicies();
app.MapTaskEndpoints().RequireTaskPolicies();
app.MapCtiEndpoints().RequireCtiPolicies();
app.MapStudio().RequireAuthorization(ExitPolicies.Studio);
// The landing page: coordinators design in Studio; everyone else starts in the web UI (which signs in first).
app.MapGet("/", (System.Security.Claims.ClaimsPrincipal user) =>
        Results.Redirect(user.IsInRole(ExitRoles.Coordinator) && !user.IsInRole(ExitRoles.Worker) && !user.IsInRole(ExitRoles.Manager) ? "/studio/" : "/ui"))
    .ExcludeFromDescription().AllowAnonymous();

// --- Web UI (Razor Pages; each folder names its policy) ---
app.UseExitUi();
app.MapExitUi();
// --- end Web UI ---

app.Run();
return 0;

public partial class Program;
