using Exit.Workflows.Calendar;
using Exit.Workflows.Execution;
using Exit.Workflows.Timers.Sweep;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>Registers durable timers: Quartz on the application's database, the scheduler, the job and the reconciler.</summary>
public static class TimerServiceCollectionExtensions
{
    /// <summary>
    /// Adds durable timers on Quartz with a persistent store in the application's own database.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">Zone, throughput and cluster settings.</param>
    /// <param name="provider"><c>"Sqlite"</c>, <c>"Postgres"</c> or <c>"SqlServer"</c> (case-insensitive).</param>
    /// <param name="connectionString">The application's connection string; Quartz's QRTZ_ tables are created there if missing.</param>
    /// <remarks>
    /// <para>
    /// When the workflow runtime is registered before this call (<c>AddWorkflowRuntime</c>), its timer pipeline comes
    /// with it, registered here once: a commit's timer bookmarks arm the one wake-up trigger (<see cref="TimerBookmarkScheduler"/>,
    /// <see cref="QuartzTimerWakeUp"/>), and its firing asks the <see cref="DueTimerSweeper"/> to resume everything due
    /// (<see cref="SweepingTimerDueHandler"/>). Without the runtime (Quartz-level tests) the
    /// application registers its own <see cref="ITimerDueHandler"/> and <see cref="IDueTimerSource"/>. Quartz runs on the
    /// container's <see cref="TimeProvider"/> (registered here as <see cref="TimeProvider.System"/> unless the
    /// application registered one), so a test that registers a <c>ManualTimeProvider</c> drives the real
    /// scheduler: Quartz 4.7 waits on timers from that provider, and advancing it wakes the loop at once.
    /// </para>
    /// <para>
    /// Hosted services start in registration order: Quartz's, then the reconciler's. Call this after any other
    /// hosted service that must be up before timers fire.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddExitTimers(
        this IServiceCollection services, SchedulingOptions options, string provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        if (options.MaxBatchSize > options.MaxConcurrency)
        {
            throw new ArgumentException(
                $"MaxBatchSize ({options.MaxBatchSize}) may not exceed MaxConcurrency ({options.MaxConcurrency}): " +
                "triggers acquired beyond the free threads would be held by this node until the pool drains.",
                nameof(options));
        }

        var sqlite = provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);
        var postgres = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) ||
                       provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
        var sqlServer = provider.Equals("SqlServer", StringComparison.OrdinalIgnoreCase);
        if (!sqlite && !postgres && !sqlServer)
        {
            throw new ArgumentException($"Timer store provider '{provider}' is not supported; use \"Sqlite\", \"Postgres\" or \"SqlServer\".", nameof(provider));
        }

        if (sqlServer && options.Clustered)
        {
            // Quartz itself could cluster on SQL Server, but the runtime's timer claims (TimerClaim: FOR UPDATE SKIP LOCKED)
            // have no SQL Server variant (WITH (UPDLOCK, READPAST, ROWLOCK)) yet: each host would sweep every due timer.
            throw new ArgumentException(
                "Clustered timers need PostgreSQL: the timer claims that share a sweep between hosts have no SQL Server variant yet.",
                nameof(options));
        }

        if (sqlite && options.Clustered)
        {
            throw new ArgumentException(
                "Clustered timers need PostgreSQL: Quartz refuses clustering on SQLite (one file cannot be shared safely by several nodes).",
                nameof(options));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddSingleton<DueTimes>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                s.IdleWaitTime = options.IdleWaitTime;
                s.MaxBatchSize = options.MaxBatchSize;
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            q.AddJob<ResumeBookmarkJob>(j => j
                .WithIdentity(TimerKeys.Job)
                .WithDescription("Wakes the workflow engine to resume a timer bookmark")
                .StoreDurably());
            q.AddJob<WakeUpJob>(j => j
                .WithIdentity(TimerKeys.WakeUpJob)
                .WithDescription("Wakes the workflow engine to resume every due timer bookmark")
                // In a cluster, a wake-up whose node died while sweeping is fired again on another node.
                .RequestRecovery()
                .StoreDurably());
            q.UsePersistentStore(store =>
            {
                if (sqlite)
                {
                    store.UseSqlite(
                        new SqliteTimerConnectionFactory(TimeSpan.FromSeconds(30)),
                        SqliteTimerConnectionFactory.NormalizeConnectionString(connectionString));
                }
                else if (sqlServer)
                {
                    store.UseSqlServer(connectionString);
                }
                else
                {
                    store.UsePostgres(NpgsqlFactory.Instance, connectionString);
                    if (options.Clustered)
                    {
                        // UseClustering also gives each node an instance id of its own (Quartz generates it).
                        store.UseClustering(c =>
                        {
                            c.CheckinInterval = options.ClusterCheckinInterval;
                            c.CheckinMisfireThreshold = options.ClusterCheckinInterval;
                        });
                    }
                }

                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(s => s.MisfireThreshold = options.MisfireThreshold);
            });
        });
        // Before Quartz's hosted service: Quartz then finds its tables instead of probing a fresh database in an aborted transaction.
        if (postgres)
        {
            // Normally created by WorkflowStartup under the start-up lock (hosts started together then do not queue
            // behind each other's whole start-up for these tables); the hosted service finds them there, or creates them
            // where the timers are used without WorkflowStartup.
            services.AddSingleton<Exit.Workflows.Hosting.IStoreMigration>(new Exit.Workflows.Hosting.DelegateStoreMigration((_, ct) => new PostgresQuartzSchema(connectionString, options.SchedulerName, underStartupLock: true).StartAsync(ct)));
            services.AddHostedService(_ => new PostgresQuartzSchema(connectionString, options.SchedulerName));
        }
        if (sqlServer) services.AddHostedService(_ => new SqlServerQuartzSchema(connectionString));
        // A cluster's commits check the pending wake-up in their own transaction instead of calling Quartz (QuartzWakeUpProbe).
        if (postgres && options.Clustered)
            services.TryAddSingleton(sp => QuartzWakeUpProbe.Create(options, sp.GetRequiredService<TimeProvider>()));
        services.AddQuartzHostedService(h => h.WaitForJobsToComplete = true);
        services.AddSingleton<ITimerScheduler, QuartzTimerScheduler>();
        services.AddSingleton<ITimerWakeUp, QuartzTimerWakeUp>();
        services.AddSingleton<TimerReconciler>();
        services.AddHostedService<TimerReconcilerHostedService>();
        if (services.Any(d => d.ServiceType == typeof(IWorkflowRuntime))) AddRuntimePipeline(services, postgres ? connectionString : null);
        return services;
    }

    /// <summary>
    /// The runtime's side of the timers; the sweeper starts after Quartz (and stops first). No <see cref="IDueTimerSource"/>:
    /// timer bookmarks have no triggers of their own to reconcile; the start-up sweep arms the wake-up from the store.
    /// </summary>
    /// <param name="sharedDatabase">PostgreSQL's connection string (several hosts may share it: their sweeps invite each
    /// other to a storm), or null (SQLite, one host).</param>
    private static void AddRuntimePipeline(IServiceCollection services, string? sharedDatabase)
    {
        if (sharedDatabase is null)
        {
            services.TryAddSingleton<ISweepPeers, NoSweepPeers>();
        }
        else
        {
            services.TryAddSingleton(sp => new PostgresSweepPeers(sharedDatabase, sp.GetRequiredService<ILogger<PostgresSweepPeers>>()));
            services.TryAddSingleton<ISweepPeers>(sp => sp.GetRequiredService<PostgresSweepPeers>());
            services.AddHostedService(sp => new PostgresSweepListener(
                sp.GetRequiredService<PostgresSweepPeers>(), sp.GetRequiredService<DueTimerSweeper>(), sp.GetRequiredService<ILogger<PostgresSweepListener>>()));
        }
        services.TryAddSingleton<IBookmarkScheduler, TimerBookmarkScheduler>();
        services.TryAddScoped<SweepingTimerDueHandler>();
        services.TryAddScoped<ITimerDueHandler>(sp => sp.GetRequiredService<SweepingTimerDueHandler>());
        services.TryAddScoped<ITimerWakeUpHandler>(sp => sp.GetRequiredService<SweepingTimerDueHandler>());
        services.AddSingleton<SweepRuntimeFactory>();
        services.AddSingleton<DueTimerSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DueTimerSweeper>());
    }
}
