using System.Data.Common;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// <see cref="StoredApiKeyLookup"/> on each provider: one statement per lookup, whatever the key — with an owner (whose
/// lock-out, roles and municipality come back with it), without one, revoked, of a deleted owner, or unknown.
/// </summary>
public sealed class StoredApiKeyLookupTests
{
    [Fact]
    public async Task Lookup_OnSqlite_IsOneStatementPerKey_WithTheOwnersState()
    {
        var path = Path.Combine(Path.GetTempPath(), $"exit-key-lookup-{Guid.NewGuid():N}.db");
        try
        {
            await StoredApiKeyLookupContract.RunAsync(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={path}" });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    [Fact]
    public async Task Lookup_OnSqlServer_IsOneStatementThatParsesAsTSql()
    {
        var capture = new EngineFreeSql();
        var builder = new DbContextOptionsBuilder<ExitIdentityDbContext>();
        ExitAuthentication.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=none;Database=exit" });
        builder.AddInterceptors(capture);
        await using var db = new ExitIdentityDbContext(builder.Options);

        Assert.Null(await new StoredApiKeyLookup().FindAsync(db, ApiKeyDefaults.Hash("exit_unknown"), CancellationToken.None));

        var sql = Assert.Single(capture.Commands);
        Assert.Empty(TSqlSyntax.Errors(sql));
        Assert.Contains(ExitIdentityDbContext.ApiKeysTable, sql, StringComparison.Ordinal);
        Assert.Contains("AspNetUserRoles", sql, StringComparison.Ordinal);
    }
}

[RequiresPostgres]
public sealed class StoredApiKeyLookupPostgresTests
{
    [DatabaseFact]
    public async Task Lookup_OnPostgres_IsOneStatementPerKey_WithTheOwnersState()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await StoredApiKeyLookupContract.RunAsync(database.Options);
    }
}

internal static class StoredApiKeyLookupContract
{
    public static async Task RunAsync(DatabaseOptions options)
    {
        var counter = new CommandCounter();
        var builder = new DbContextOptionsBuilder<ExitIdentityDbContext>();
        ExitAuthentication.Configure(builder, options);
        builder.AddInterceptors(counter);
        await using (var setup = new ExitIdentityDbContext(builder.Options))
        {
            await setup.Database.MigrateAsync();
            await SeedAsync(setup);
        }

        var lookup = new StoredApiKeyLookup();
        async Task<StoredApiKeyLookup.Row?> FindAsync(string key)
        {
            await using var db = new ExitIdentityDbContext(builder.Options);
            var before = counter.Count;
            var row = await lookup.FindAsync(db, ApiKeyDefaults.Hash(key), CancellationToken.None);
            Assert.Equal(1, counter.Count - before);
            return row;
        }

        var owned = await FindAsync("exit_owned");
        Assert.NotNull(owned);
        Assert.Equal("owner-1", owned.OwnerUserId);
        Assert.True(owned.OwnerFound);
        Assert.Equal("owner@test.dk", owned.OwnerUserName);
        Assert.Equal("aarhus", owned.OwnerMunicipality);
        Assert.Equal([ExitRoles.Manager, ExitRoles.Worker], owned.OwnerRoles.OfType<string>().Order(StringComparer.Ordinal).ToArray());
        Assert.Null(owned.RevokedAt);
        Assert.True(owned.OwnerLockedOut(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero)));
        Assert.False(owned.OwnerLockedOut(new DateTimeOffset(2026, 12, 1, 12, 0, 1, TimeSpan.Zero)));

        var ownerless = await FindAsync("exit_ownerless");
        Assert.NotNull(ownerless);
        Assert.Null(ownerless.OwnerUserId);
        Assert.False(ownerless.OwnerFound);
        Assert.Empty(ownerless.OwnerRoles);
        Assert.Equal(TenantIds.Default, ownerless.TenantId);

        var revoked = await FindAsync("exit_revoked");
        Assert.NotNull(revoked?.RevokedAt);

        var orphan = await FindAsync("exit_orphan");
        Assert.NotNull(orphan);
        Assert.Equal("deleted-user", orphan.OwnerUserId);
        Assert.False(orphan.OwnerFound);
        Assert.Empty(orphan.OwnerRoles);

        Assert.Null(await FindAsync("exit_unknown"));
    }

    private static async Task SeedAsync(ExitIdentityDbContext db)
    {
        var owner = new IdentityUser
        {
            Id = "owner-1", UserName = "owner@test.dk", NormalizedUserName = "OWNER@TEST.DK", LockoutEnabled = true,
            LockoutEnd = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        };
        db.Users.Add(owner);
        db.Entry(owner).Property<string?>(UserMunicipalities.Column).CurrentValue = "aarhus";
        db.Users.Add(new IdentityUser { Id = "other-1", UserName = "other@test.dk", NormalizedUserName = "OTHER@TEST.DK" });
        foreach (var role in new[] { ExitRoles.Worker, ExitRoles.Manager, ExitRoles.Admin })
            db.Roles.Add(new IdentityRole(role) { Id = "role-" + role, NormalizedName = role.ToUpperInvariant() });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = "owner-1", RoleId = "role-" + ExitRoles.Worker });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = "owner-1", RoleId = "role-" + ExitRoles.Manager });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = "other-1", RoleId = "role-" + ExitRoles.Admin });
        using (TenantScope.Enter(TenantIds.Default))
        {
            db.ApiKeys.Add(Key("owned", "owner-1", revoked: false));
            db.ApiKeys.Add(Key("ownerless", null, revoked: false));
            db.ApiKeys.Add(Key("revoked", "owner-1", revoked: true));
            db.ApiKeys.Add(Key("orphan", "deleted-user", revoked: false));
            await db.SaveChangesAsync();
        }
    }

    private static ApiKeyRecord Key(string name, string? owner, bool revoked) => new()
    {
        Id = "key-" + name,
        Hash = ApiKeyDefaults.Hash("exit_" + name),
        Prefix = "exit_" + name[..3],
        Name = name,
        OwnerUserId = owner,
        OwnerName = owner ?? "apikey:" + name,
        Roles = ExitRoles.Worker,
        CreatedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        RevokedAt = revoked ? new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero) : null,
    };

    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
