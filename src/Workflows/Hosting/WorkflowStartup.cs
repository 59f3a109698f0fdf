using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Hosting;

/// <summary>
/// Makes the database ready before anything else starts: runtime migrations, then every registered
/// <see cref="IStoreMigration"/> (task store, CTI store…), then the definitions folder. Runs before Quartz
/// starts, so timers never fire against a schema that is not there yet.
/// </summary>
public sealed partial class WorkflowStartup(
    IServiceProvider services,
    DatabaseMigrator migrator,
    ExitWorkflowOptions options,
    ILogger<WorkflowStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        foreach (var migration in services.GetServices<IStoreMigration>())
            await migration.MigrateAsync(services, cancellationToken);

        if (options.DefinitionsFolder is { } folder && Directory.Exists(folder))
        {
            using var scope = services.CreateScope();
            var results = await scope.ServiceProvider.GetRequiredService<DefinitionFolderImporter>().ImportAsync(folder, cancellationToken);
            LogImported(results.Count, folder);
        }
    }

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
