using System.Data.Common;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// There is no model snapshot (migrations are hand-written), so this is what keeps the migrations and the EF model
/// in step: a fresh database is migrated and its actual tables, columns (type, nullability), primary keys and
/// indexes (columns, uniqueness) are compared with <c>Model.GetRelationalModel()</c>.
/// </summary>
public abstract class SchemaMatchesModelTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    protected abstract Task<List<string>> ReadSchemaAsync(DbConnection connection);

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_SchemaEqualsModel()
    {
        await using var harness = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        await using var db = await harness.ContextFactory.CreateDbContextAsync();
        var expected = Describe(db);
        await db.Database.OpenConnectionAsync();
        var actual = await ReadSchemaAsync(db.Database.GetDbConnection());
        actual.Sort(StringComparer.Ordinal);

        var missing = expected.Except(actual).Select(x => "- model has, database lacks: " + x);
        var extra = actual.Except(expected).Select(x => "+ database has, model lacks: " + x);
        var diff = missing.Concat(extra).ToList();
        Assert.True(diff.Count == 0, "Migrated schema differs from the EF model:\n" + string.Join("\n", diff));
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

    /// <summary>One line per fact: "table.column type null|not null", "table pk (cols)", "table index name (cols) [unique]".</summary>
    private static List<string> Describe(WorkflowDbContext db)
    {
        var lines = new List<string>();
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            foreach (var column in table.Columns)
                lines.Add(Column(table.Name, column.Name, column.StoreType, column.IsNullable));
            if (table.PrimaryKey is { } pk)
                lines.Add(PrimaryKey(table.Name, pk.Name, pk.Columns.Select(c => c.Name)));
            foreach (var index in table.Indexes)
                lines.Add(Index(table.Name, index.Name, index.Columns.Select(c => c.Name), index.IsUnique));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    protected static string Column(string table, string column, string type, bool nullable) =>
        $"{table}.{column} {type.ToLowerInvariant()} {(nullable ? "null" : "not null")}";

    protected static string PrimaryKey(string table, string name, IEnumerable<string> columns) =>
        $"{table} primary key {name} ({string.Join(", ", columns)})";

    protected static string Index(string table, string name, IEnumerable<string> columns, bool unique) =>
        $"{table} index {name} ({string.Join(", ", columns)}){(unique ? " unique" : "")}";

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

public sealed class SqliteSchemaMatchesModelTests : SchemaMatchesModelTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());

    protected override async Task<List<string>> ReadSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%'");
        foreach (var table in tables.Select(r => (string)r[0]!))
        {
            var pk = new SortedList<long, string>();
            foreach (var c in await QueryAsync(connection, $"PRAGMA table_info('{table}')"))
            {
                // cid, name, type, notnull, dflt_value, pk
                lines.Add(Column(table, (string)c[1]!, (string)c[2]!, (long)c[3]! == 0));
                if ((long)c[5]! > 0) pk.Add((long)c[5]!, (string)c[1]!);
            }
            if (pk.Count > 0)
            {
                // SQLite keeps no name for a primary key constraint: read it back from the CREATE TABLE text.
                var sql = (string)(await QueryAsync(connection, $"SELECT sql FROM sqlite_master WHERE name = '{table}'"))[0][0]!;
                var marker = sql.IndexOf("CONSTRAINT \"", StringComparison.Ordinal);
                var name = marker < 0 ? "(unnamed)" : sql[(marker + 12)..sql.IndexOf('"', marker + 12)];
                lines.Add(PrimaryKey(table, name, pk.Values));
            }
            foreach (var index in await QueryAsync(connection, $"PRAGMA index_list('{table}')"))
            {
                // seq, name, unique, origin (c = CREATE INDEX, pk = primary key), partial
                if ((string)index[3]! == "pk") continue;
                var name = (string)index[1]!;
                var columns = (await QueryAsync(connection, $"PRAGMA index_info('{name}')")).OrderBy(r => (long)r[0]!).Select(r => (string)r[2]!);
                lines.Add(Index(table, name, columns, (long)index[2]! == 1));
            }
        }
        return lines;
    }
}

[RequiresPostgres]
public sealed class PostgresSchemaMatchesModelTests : SchemaMatchesModelTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();

    protected override async Task<List<string>> ReadSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection,
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns " +
            "WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_EF%'"))
            lines.Add(Column((string)c[0]!, (string)c[1]!, (string)c[2]!, (string)c[3]! == "YES"));

        foreach (var i in await QueryAsync(connection, """
            SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,
                   array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',')
            FROM pg_index ix
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname NOT LIKE '\_\_EF%'
            """))
        {
            var table = (string)i[0]!;
            var columns = ((string)i[4]!).Split(',');
            lines.Add((bool)i[3]! ? PrimaryKey(table, (string)i[1]!, columns) : Index(table, (string)i[1]!, columns, (bool)i[2]!));
        }
        return lines;
    }
}
