using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Exit.Workflows.Persistence;

/// <summary>
/// Applies the hand-written migrations. Safe to run twice and from several processes at once: EF Core takes a
/// database lock while migrating (a lock table on SQLite, an advisory lock on PostgreSQL) and skips applied migrations.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<WorkflowDbContext> factory)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateWithoutProbeErrorAsync(ct);
    }

    /// <summary>Migrations in this assembly not yet applied to the database.</summary>
    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }
}

/// <summary>Migrates the schema when the host starts, before later hosted services (register persistence first).</summary>
public sealed class DatabaseMigrationHostedService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
