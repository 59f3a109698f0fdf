using Exit.Activities.SupportPersons.Persistence;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Tests.SupportPersons;

/// <summary>The scheme's hand-written migration builds exactly the EF model, on both providers, and is safe to repeat.</summary>
public abstract class SupportPersonsSchemaTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_SchemaEqualsTheModel()
    {
        await using var database = await CreateDatabaseAsync();
        var factory = new SupportPersonsDbContextFactory(new SupportPersonsStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });

        await using (var db = factory.Create())
        {
            await db.Database.MigrateAsync();
            await db.Database.MigrateAsync();
        }

        await using (var db = factory.Create())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            await SchemaComparison.AssertMigratedSchemaMatchesModelAsync(db);
        }
    }
}

public sealed class SqliteSupportPersonsSchemaTests : SupportPersonsSchemaTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresSupportPersonsSchemaTests : SupportPersonsSchemaTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
