using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure;
using Exit.Workflows.Hosting;
using Exit.Workflows.Timers.Sweep;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Bench;

/// <summary>
/// The Host's service composition without HTTP: the same <c>AddExitWorkflows</c> (EF store with group commit,
/// engine, definitions folder, Quartz timers), <c>AddHumanTasks</c>, the task-store migration and the Host's
/// mediator (the overdue query goes through <c>IMediator.Send(ListTasks.Query)</c>, the handler behind
/// GET /api/tasks). Differences from the Host: no Kestrel, and logging at Warning (the Host logs Information).
/// Every commit is observed by <see cref="CommitRecorder"/> through a thin <see cref="IWorkflowInstanceStore"/> decorator.
/// </summary>
public static class BenchHost
{
    public static IHost Build(DatabaseOptions database, string definitionsFolder, TimeProvider clock, CommitRecorder recorder)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Production",
            DisableDefaults = true,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        var services = builder.Services;
        services.AddSingleton(clock);
        services.AddExitWorkflows(new ExitWorkflowOptions
        {
            Database = database,
            Scheduling = new SchedulingOptions { TimeZone = "Europe/Copenhagen" },
            DefinitionsFolder = definitionsFolder,
        });
        services.AddHumanTasks(o =>
        {
            o.Provider = database.Provider;
            o.ConnectionString = database.ConnectionString;
        });
        services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
        services.AddExitMediator();

        services.AddSingleton(recorder);
        services.AddSingleton<IWorkflowInstanceStore>(sp => new RecordingInstanceStore(sp.GetRequiredService<EfWorkflowInstanceStore>(), recorder));
        return builder.Build();
    }
}
