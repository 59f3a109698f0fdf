using Exit.Workflows.Tenancy;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Triggers;
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
        services.TryAddSingleton<ITenantDirectory, SingleTenantDirectory>();
        services.TryAddSingleton<IWorkflowGraphParser>(new DelegateWorkflowGraphParser(ParseGraph));

        services.AddWorkflowPersistence(new DatabaseOptions
        {
            Provider = options.Database.Provider,
            ConnectionString = options.Database.ConnectionString,
            GroupCommit = options.Database.GroupCommit,
            MaxBatchSize = options.Database.MaxBatchSize,
            SqliteCheckpointEvery = options.Database.SqliteCheckpointEvery,
            BusyTimeout = options.Database.BusyTimeout,
            TimerClaimLease = options.Scheduling.TimerClaimLease,
            // WorkflowStartup migrates, in order with the other stores, before the timers start.
            MigrateOnStartup = false,
        });
        AddDefinitionCache(services, sharedDatabase: options.Database.Provider != DatabaseProvider.Sqlite);
        services.AddWorkflowRuntime(o =>
        {
            o.TimeZoneId = options.Scheduling.TimeZone;
            o.JavaScript = options.JavaScript;
        });
        services.AddWorkflowDefinitions();
        services.AddHostedService<WorkflowStartup>();
        AddAlterations(services, Alterations.AlterationJobClaim.ForThisProcess(options.Scheduling.TimerClaimLease,
            enabled: options.Database.Provider == DatabaseProvider.Postgres));

        if (options.DurableTimers)
        {
            // Quartz on the same database, and with the runtime registered above, the timer pipeline (Timers/).
            services.AddExitTimers(options.Scheduling, options.Database.Provider.ToString(), options.Database.ConnectionString);
            services.AddWorkflowTriggers(sp => sp.GetRequiredService<CachingDefinitionStore>());
        }

        return services;
    }

    /// <summary>
    /// The runtime reads definitions through <see cref="RuntimeDefinitionCache"/>; everything else uses the store, whose
    /// saves and deletes invalidate the cache. Registered before <c>AddWorkflowRuntime</c>, whose registration is a TryAdd.
    /// </summary>
    /// With <paramref name="sharedDatabase"/> (PostgreSQL: several hosts may share it) every start resolves the published
    /// version in the database, so another host's publish, retract or delete is seen at once.
    private static void AddDefinitionCache(IServiceCollection services, bool sharedDatabase)
    {
        services.AddSingleton<RuntimeDefinitionCache>();
        services.AddSingleton<IWorkflowDefinitionStore>(sp => new InvalidatingDefinitionStore(
            sp.GetRequiredService<EfWorkflowDefinitionStore>(), sp.GetRequiredService<RuntimeDefinitionCache>()));
        services.AddSingleton(sp => new CachingDefinitionStore(
            sp.GetRequiredService<IWorkflowDefinitionStore>(), sp.GetRequiredService<RuntimeDefinitionCache>(),
            sharedDatabase ? sp.GetRequiredService<EfWorkflowDefinitionStore>() : null));
        var createRuntime = ActivatorUtilities.CreateFactory<WorkflowRuntime>([typeof(IWorkflowDefinitionStore)]);
        services.TryAddScoped(sp => createRuntime(sp, [sp.GetRequiredService<CachingDefinitionStore>()]));
    }

    /// <summary>Alterations (Alterations/): the plan store, its job commit participant and the worker that runs plans.</summary>
    private static void AddAlterations(IServiceCollection services, Alterations.AlterationJobClaim claim)
    {
        services.TryAddSingleton(claim);
        services.TryAddScoped<Alterations.AlterationInstanceSelector>();
        services.TryAddScoped<Alterations.AlterationPlanStore>();
        services.TryAddScoped<Alterations.DefinitionVersionHistory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitParticipant, Alterations.AlterationJobCommitParticipant>());
        services.AddSingleton<Alterations.AlterationPlanWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Alterations.AlterationPlanWorker>());
    }

    private static WorkflowGraph ParseGraph(JsonObject json) => DefinitionJsonReader.Parse(json.ToJsonString()).Graph;
}
