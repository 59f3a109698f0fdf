using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Scheduling;
using Exit.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Hosting;

public static class ExitWorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// The whole runtime on one database: EF store (group commit), engine and built-ins, definition
    /// validation and versioning, calendar-correct due times, and durable Quartz timers wired to the engine.
    /// Register a <see cref="TimeProvider"/> before this call to drive everything from another clock.
    /// </summary>
    public static IServiceCollection AddExitWorkflows(this IServiceCollection services, ExitWorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options.Scheduling);

        services.TryAddSingleton<IInputSemanticsValidator, SchedulingInputValidator>();
        services.TryAddSingleton<IWorkflowGraphParser>(new DelegateWorkflowGraphParser(ParseGraph));

        services.AddWorkflowPersistence(new DatabaseOptions
        {
            Provider = options.Database.Provider,
            ConnectionString = options.Database.ConnectionString,
            GroupCommit = options.Database.GroupCommit,
            MaxBatchSize = options.Database.MaxBatchSize,
            SqliteCheckpointEvery = options.Database.SqliteCheckpointEvery,
            BusyTimeout = options.Database.BusyTimeout,
            // WorkflowStartup migrates, in order with the other stores, before the timers start.
            MigrateOnStartup = false,
        });
        AddDefinitionCache(services);
        services.AddWorkflowRuntime(o =>
        {
            o.TimeZoneId = options.Scheduling.TimeZone;
            o.JavaScript = options.JavaScript;
        });
        services.AddWorkflowDefinitions();
        services.AddHostedService<WorkflowStartup>();

        if (options.DurableTimers)
        {
            // Replacing the runtime's plain adapters (Execution/Timers): commits' timer work is stored in shared Quartz
            // transactions, and one firing lets the sweeper resume everything that is due.
            services.AddSingleton(sp => new CoalescingTimerScheduler(
                sp.GetRequiredService<ISchedulerFactory>(), sp.GetRequiredService<ITimerScheduler>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CoalescingTimerScheduler>>()));
            services.RemoveAll<IBookmarkScheduler>();
            services.AddSingleton<IBookmarkScheduler>(sp => new BatchedTimerBookmarkScheduler(
                sp.GetRequiredService<CoalescingTimerScheduler>(), sp.GetRequiredService<ILogger<BatchedTimerBookmarkScheduler>>()));
            services.AddSingleton<SweepRuntimeFactory>();
            services.AddSingleton(DueTimerPageReaders.Create);
            services.AddSingleton<DueTimerSweeper>();
            services.RemoveAll<ITimerDueHandler>();
            services.AddScoped<ITimerDueHandler, SweepingTimerDueHandler>();
            services.AddExitTimers(options.Scheduling, options.Database.Provider.ToString(), options.Database.ConnectionString);
            // After Quartz and the reconciler: overdue timers are swept at start-up (and the sweep stops first at shutdown).
            services.AddHostedService(sp => sp.GetRequiredService<DueTimerSweeper>());
            services.AddWorkflowTriggers(sp => sp.GetRequiredService<CachingDefinitionStore>());
        }

        return services;
    }

    /// <summary>
    /// The runtime reads definitions through <see cref="RuntimeDefinitionCache"/>; everything else uses the store, whose
    /// saves and deletes invalidate the cache. Registered before <c>AddWorkflowRuntime</c>, whose registration is a TryAdd.
    /// </summary>
    private static void AddDefinitionCache(IServiceCollection services)
    {
        services.AddSingleton<RuntimeDefinitionCache>();
        services.AddSingleton<IWorkflowDefinitionStore>(sp => new InvalidatingDefinitionStore(
            sp.GetRequiredService<EfWorkflowDefinitionStore>(), sp.GetRequiredService<RuntimeDefinitionCache>()));
        services.AddSingleton(sp => new CachingDefinitionStore(
            sp.GetRequiredService<IWorkflowDefinitionStore>(), sp.GetRequiredService<RuntimeDefinitionCache>()));
        var createRuntime = ActivatorUtilities.CreateFactory<WorkflowRuntime>([typeof(IWorkflowDefinitionStore)]);
        services.TryAddScoped(sp => createRuntime(sp, [sp.GetRequiredService<CachingDefinitionStore>()]));
    }

    private static WorkflowGraph ParseGraph(JsonObject json) => DefinitionJsonReader.Parse(json.ToJsonString()).Graph;
}
