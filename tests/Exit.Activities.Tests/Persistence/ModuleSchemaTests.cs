using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Tests.Persistence;

/// <summary>
/// The task and CTI stores have their own hand-written migrations (and history tables); nothing but this test keeps
/// them in step with their EF models, on both providers. Both modules are migrated into one database, as the Host
/// does, so each must also leave the other's tables alone.
/// </summary>
public abstract class ModuleSchemaTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_TaskAndCtiSchemasEqualTheirModels()
    {
        await using var database = await CreateDatabaseAsync();
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var cti = new CtiDbContextFactory(new CtiStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });

        await using (var db = tasks.Create()) await db.Database.MigrateAsync();
        await using (var db = cti.Create())
        {
            await db.Database.MigrateAsync();
            await db.Database.MigrateAsync(); // again: nothing to do, nothing breaks
        }

        await using (var db = tasks.Create())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            await SchemaComparison.AssertMigratedSchemaMatchesModelAsync(db);
        }

        await using (var db = cti.Create())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            await SchemaComparison.AssertMigratedSchemaMatchesModelAsync(db);
        }
    }
}

public sealed class SqliteModuleSchemaTests : ModuleSchemaTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresModuleSchemaTests : ModuleSchemaTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
