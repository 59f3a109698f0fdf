using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Activities.HumanTasks;

public static class HumanTaskServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Exit.HumanTask</c> activity, the task store (commit participant, queries, service) and
    /// its defaults (GUIDv7 ids, the built-in due-date calculator, the instance-store bookmark locator). Needs
    /// <see cref="IWorkflowRuntime"/> and <see cref="IWorkflowInstanceStore"/> from the runtime; uses
    /// <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// </summary>
    public static IServiceCollection AddHumanTasks(this IServiceCollection services, Action<HumanTaskStoreOptions> configure)
    {
        var options = new HumanTaskStoreOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException("AddHumanTasks needs a connection string for the task store.");

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddSingleton<TaskDbContextFactory>();
        services.TryAddSingleton<ITaskIdGenerator, GuidV7TaskIdGenerator>();
        services.TryAddSingleton<IDueDateCalculator, DueDateCalculator>();
        services.TryAddScoped<ITaskBookmarkLocator, InstanceStoreTaskBookmarkLocator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitParticipant, TaskCommitParticipant>());
        services.TryAddScoped<TaskQueries>();
        services.TryAddScoped<HumanTaskService>();
        if (options.Roles is { Count: > 0 } roles)
        {
            services.AddActivity<HumanTask>(HumanTask.WithRoles(roles));
            services.AddSingleton<IInputValueRule>(new AllowedValuesRule(HumanTask.TypeName, "role", roles, "role"));
        }
        else
        {
            services.AddActivity<HumanTask>(HumanTask.Descriptor);
        }
        return services;
    }

    /// <summary>Applies the task store's migrations (history table <c>__TaskMigrationsHistory</c>).</summary>
    public static async Task MigrateHumanTasksAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var db = services.GetRequiredService<TaskDbContextFactory>().Create();
        await db.Database.MigrateWithoutProbeErrorAsync(ct);
    }
}
