using Exit.Workflows.Persistence;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// There is no model snapshot (migrations are hand-written), so this is what keeps the runtime's migrations and its
/// EF model in step (<see cref="SchemaComparison"/>), and what shows that migrating is safe to repeat.
/// </summary>
public abstract class SchemaMatchesModelTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_SchemaEqualsModel()
    {
        await using var harness = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        await using var db = await harness.ContextFactory.CreateDbContextAsync();

        await SchemaComparison.AssertMigratedSchemaMatchesModelAsync(db);
    }

    [DatabaseFact]
    public async Task Migrate_RunTwiceAndConcurrently_IsHarmless()
    {
        await using var harness = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        var migrator = harness.Services.GetRequiredService<DatabaseMigrator>();
        await migrator.MigrateAsync(default);
        await Task.WhenAll(migrator.MigrateAsync(default), migrator.MigrateAsync(default));
        Assert.Empty(await migrator.GetPendingMigrationsAsync(default));
        await harness.Instances.CommitAsync(StoreTestData.StartCommit(), default);
    }
}

public sealed class SqliteSchemaMatchesModelTests : SchemaMatchesModelTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresSchemaMatchesModelTests : SchemaMatchesModelTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
