using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the durable store: a pooled <see cref="IDbContextFactory{WorkflowDbContext}"/>, the instance store
    /// (singleton: it owns the group-commit writer), the definition store, <see cref="DatabaseMigrator"/> and, when
    /// <see cref="DatabaseOptions.MigrateOnStartup"/>, a hosted service that migrates at start-up.
    /// The definition store needs an <see cref="IWorkflowGraphParser"/> registered by the definitions module.
    /// <see cref="ICommitParticipant"/>s are picked up from the container when the instance store is first resolved.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // SQL Server: refused while SqlServerSupport.Missing names a hand-written SQL path without a SQL Server variant (none now).
        SqlServerSupport.ThrowIfIncomplete(options.Provider);
        services.AddSingleton(options);
        services.AddPooledDbContextFactory<WorkflowDbContext>(o => o.UseExitDatabase(options));
        services.AddSingleton<EfWorkflowInstanceStore>();
        services.AddSingleton<IWorkflowInstanceStore>(sp => sp.GetRequiredService<EfWorkflowInstanceStore>());
        services.AddSingleton<EfWorkflowDefinitionStore>();
        services.AddSingleton<IWorkflowDefinitionStore>(sp => sp.GetRequiredService<EfWorkflowDefinitionStore>());
        services.AddSingleton<DatabaseMigrator>();
        if (options.MigrateOnStartup) services.AddHostedService<DatabaseMigrationHostedService>();
        return services;
    }
}
