using Exit.Workflows.Definitions;
using Exit.Workflows.Definitions.Templates;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Hosting;

/// <summary>
/// Makes the database ready before anything else starts: runtime migrations, then every registered
/// <see cref="IStoreMigration"/> (task store, CTI store…), then the definitions folder into the template library and
/// each municipality's adoption of it. Runs before Quartz
/// starts, so timers never fire against a schema that is not there yet. On PostgreSQL and SQL Server all of it runs under
/// <see cref="StartupSchemaLock"/>: hosts started together do it one after another, and only the first finds work to do.
/// </summary>
public sealed partial class WorkflowStartup(
    IServiceProvider services,
    DatabaseMigrator migrator,
    DatabaseOptions database,
    ExitWorkflowOptions options,
    ILogger<WorkflowStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var exclusive = await StartupSchemaLock.AcquireAsync(database, cancellationToken);
        await migrator.MigrateAsync(cancellationToken);
        foreach (var migration in services.GetServices<IStoreMigration>())
            await migration.MigrateAsync(services, cancellationToken);

        if (options.DefinitionsFolder is { } folder && Directory.Exists(folder))
        {
            using var scope = services.CreateScope();
            // The folder is the shared template library; each municipality then adopts what it lacks, and a template
            // it runs unchanged moves on to the file's new version (one it adapted is its own and left alone).
            using (TenantScope.Enter(TenantIds.Templates))
            {
                var results = await scope.ServiceProvider.GetRequiredService<DefinitionFolderImporter>().ImportAsync(folder, cancellationToken);
                LogImported(results.Count, folder);
            }
            var templates = scope.ServiceProvider.GetRequiredService<DefinitionTemplates>();
            foreach (var tenant in await services.GetRequiredService<ITenantDirectory>().ListAsync(cancellationToken))
            {
                if (tenant.Id == TenantIds.Templates) continue;
                using var inTenant = TenantScope.Enter(tenant.Id);
                var adopted = (await templates.AdoptMissingAsync(cancellationToken)).Count(a => a.Status == DefinitionImportStatus.Imported);
                var updated = (await templates.AdoptUpdatesAsync(cancellationToken)).Count(a => a.Status == DefinitionImportStatus.Imported);
                LogAdopted(tenant.Id, adopted, updated);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} adopted {Adopted} new template(s) and {Updated} template update(s)")]
    private partial void LogAdopted(string tenantId, int adopted, int updated);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked {Count} definition files in {Folder}")]
    private partial void LogImported(int count, string folder);
}

/// <summary>A module's own schema (its own migrations history), applied at start-up after the runtime's.</summary>
public interface IStoreMigration
{
    Task MigrateAsync(IServiceProvider services, CancellationToken ct);
}

public sealed class DelegateStoreMigration(Func<IServiceProvider, CancellationToken, Task> migrate) : IStoreMigration
{
    public Task MigrateAsync(IServiceProvider services, CancellationToken ct) => migrate(services, ct);
}
