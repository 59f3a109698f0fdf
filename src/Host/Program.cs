using System.Text.Json.Serialization;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Elsa;
using Exit.Host.Features.Tasks;
using Exit.Host.Infrastructure;
using Exit.Host.Infrastructure.Configuration;
using Exit.Host.Infrastructure.Health;
using Exit.Host.Infrastructure.Logging;
using Exit.Host.Studio;
using Exit.Host.Ui;
using Exit.Workflows.Hosting;
using Exit.Workflows.Scheduling;

var builder = WebApplication.CreateBuilder(args);
if (args.Contains("--demo")) builder.Configuration["Exit:Demo"] = "true";
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

if (exit.Demo) builder.Services.AddHostedService<Exit.Host.Infrastructure.Demo.DemoDataSeeder>();

builder.Services.AddExitMediator();
builder.Services.AddExitProblemDetails();
builder.Services.AddElsaApi();
builder.Services.AddStudio();
builder.Services.AddOpenApi();
builder.Services.AddExitHealthChecks();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

// --- Web UI (Razor Pages under src/Host/Ui; also registers the CTI module if nothing else did) ---
builder.Services.AddExitUi(database);
// --- end Web UI ---

var app = builder.Build();
app.UseExceptionHandler();
app.UseMiddleware<RequestLoggingMiddleware>();

app.MapOpenApi();
app.MapExitHealthChecks();
app.MapElsaApi();
app.MapTaskEndpoints();
app.MapStudio();

// --- Web UI ---
app.UseExitUi();
app.MapExitUi();
// --- end Web UI ---
app.MapGet("/", () => Results.Redirect("/studio/")).ExcludeFromDescription();

app.Run();

public partial class Program;
