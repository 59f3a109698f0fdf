using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        services.AddWorkflowRuntime(o => o.TimeZoneId = options.Scheduling.TimeZone);
        services.AddWorkflowDefinitions();
        services.AddHostedService<WorkflowStartup>();

        // The runtime's timer adapters (Execution/Timers) feed the scheduler once AddExitTimers registered it.
        if (options.DurableTimers)
        {
            services.AddExitTimers(options.Scheduling, options.Database.Provider.ToString(), options.Database.ConnectionString);
        }

        return services;
    }

    private static WorkflowGraph ParseGraph(JsonObject json) => DefinitionJsonReader.Parse(json.ToJsonString()).Graph;
}
