using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// For migration tests: a context on <paramref name="database"/> migrated up to (and including) an earlier migration,
/// so a test can write rows the way that schema held them before the migrations under test run.
/// </summary>
internal static class EarlierSchema
{
    public static async Task<WorkflowDbContext> OpenAsync(ITestDatabase database, string lastMigration)
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        builder.UseExitDatabase(database.Options);
        var db = new WorkflowDbContext(builder.Options);
        await db.GetService<IMigrator>().MigrateAsync(lastMigration);
        return db;
    }
}
