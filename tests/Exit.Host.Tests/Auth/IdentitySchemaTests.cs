using System.Data.Common;
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
    private static readonly string[] OwnTables =
        ["AspNetUsers", "AspNetRoles", "AspNetUserRoles", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserTokens", "AspNetRoleClaims",
         ExitIdentityDbContext.ApiKeysTable, ExitIdentityDbContext.AuditTable];

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    protected abstract Task<List<string>> ReadSchemaAsync(DbConnection connection);

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
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            var expected = Describe(db);
            await db.Database.OpenConnectionAsync();
            var actual = (await ReadSchemaAsync(db.Database.GetDbConnection())).Where(l => OwnTables.Any(t => l.StartsWith(t + " ", StringComparison.Ordinal) || l.StartsWith(t + ".", StringComparison.Ordinal))).ToList();
            var diff = expected.Except(actual).Select(x => "- model has, database lacks: " + x)
                .Concat(actual.Except(expected).Select(x => "+ database has, model lacks: " + x)).ToList();
            Assert.True(diff.Count == 0, "Migrated schema differs from the EF model:\n" + string.Join("\n", diff));
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

    private static List<string> Describe(ExitIdentityDbContext db)
    {
        var lines = new List<string>();
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            foreach (var column in table.Columns) lines.Add($"{table.Name}.{column.Name} {(column.IsNullable ? "null" : "not null")}");
            if (table.PrimaryKey is { } pk) lines.Add($"{table.Name} primary key ({string.Join(", ", pk.Columns.Select(c => c.Name))})");
            foreach (var index in table.Indexes)
                lines.Add($"{table.Name} index {index.Name} ({string.Join(", ", index.Columns.Select(c => c.Name))}){(index.IsUnique ? " unique" : "")}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    protected static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }
}

public sealed class SqliteIdentitySchemaTests : IdentitySchemaTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());

    protected override async Task<List<string>> ReadSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        foreach (var table in (await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table'")).Select(r => (string)r[0]!))
        {
            var pk = new SortedList<long, string>();
            foreach (var c in await QueryAsync(connection, $"PRAGMA table_info('{table}')"))
            {
                lines.Add($"{table}.{(string)c[1]!} {((long)c[3]! == 0 && (long)c[5]! == 0 ? "null" : "not null")}");
                if ((long)c[5]! > 0) pk.Add((long)c[5]!, (string)c[1]!);
            }

            if (pk.Count > 0) lines.Add($"{table} primary key ({string.Join(", ", pk.Values)})");
            foreach (var index in await QueryAsync(connection, $"PRAGMA index_list('{table}')"))
            {
                if ((string)index[3]! == "pk") continue;
                var name = (string)index[1]!;
                var columns = (await QueryAsync(connection, $"PRAGMA index_info('{name}')")).OrderBy(r => (long)r[0]!).Select(r => (string)r[2]!);
                lines.Add($"{table} index {name} ({string.Join(", ", columns)}){((long)index[2]! == 1 ? " unique" : "")}");
            }
        }

        return lines;
    }
}

[RequiresPostgres]
public sealed class PostgresIdentitySchemaTests : IdentitySchemaTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();

    protected override async Task<List<string>> ReadSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection,
                     "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'"))
            lines.Add($"{(string)c[0]!}.{(string)c[1]!} {((string)c[2]! == "YES" ? "null" : "not null")}");
        foreach (var i in await QueryAsync(connection, """
                     SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,
                            array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                                                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ', ')
                     FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
                     JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
                     """))
        {
            var table = (string)i[0]!;
            lines.Add((bool)i[3]! ? $"{table} primary key ({(string)i[4]!})" : $"{table} index {(string)i[1]!} ({(string)i[4]!}){((bool)i[2]! ? " unique" : "")}");
        }

        return lines;
    }
}
