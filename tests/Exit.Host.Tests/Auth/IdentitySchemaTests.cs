using Exit.Host.Infrastructure.Auth;
using Exit.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// The identity/audit migrations are hand-written with no snapshot: a fresh database is migrated and its tables,
/// columns (nullability), primary keys and indexes are compared with the EF model; then a user round-trips.
/// </summary>
public abstract class IdentitySchemaTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_SchemaEqualsModel_AndAUserRoundTrips()
    {
        await using var database = await CreateDatabaseAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddExitAuth(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), database.Options);
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateIdentityAsync(CancellationToken.None);
        await provider.MigrateIdentityAsync(CancellationToken.None); // twice is harmless

        await using (var scope = provider.CreateAsyncScope())
        {
            await SchemaComparison.AssertMigratedSchemaMatchesModelAsync(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>());
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = "rt@test.dk", Email = "rt@test.dk" };
            Assert.True((await users.CreateAsync(user, "a long enough password")).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Supervisor)).Succeeded);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(5));
            var found = await users.FindByEmailAsync("RT@TEST.DK");
            Assert.NotNull(found);
            Assert.True(await users.IsLockedOutAsync(found));
            Assert.Equal([ExitRoles.Supervisor], await users.GetRolesAsync(found));
        }
    }
}

public sealed class SqliteIdentitySchemaTests : IdentitySchemaTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresIdentitySchemaTests : IdentitySchemaTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
