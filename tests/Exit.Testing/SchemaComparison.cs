using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Exit.Testing;

/// <summary>
/// Our migrations are hand-written and there is no model snapshot, so nothing but a test keeps a module's migrations
/// and its EF model in step. This compares a freshly migrated database with <c>Model.GetRelationalModel()</c>, fact by
/// fact: "table.column type null|not null", "table primary key name (columns)", "table index name (columns) [unique]".
/// One implementation for every module (runtime, tasks, CTI, identity) and both providers.
/// </summary>
public static class SchemaComparison
{
    /// <summary>
    /// Fails with the list of differences when the tables of <paramref name="db"/>'s model differ from what its
    /// migrations created. Tables of other modules in the same database are ignored; migration history tables too.
    /// </summary>
    public static async Task AssertMigratedSchemaMatchesModelAsync(DbContext db)
    {
        var expected = Describe(db);
        var tables = db.Model.GetRelationalModel().Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync();
        var actual = (await ReadAsync(db.Database.GetDbConnection())).Where(fact => tables.Contains(TableOf(fact))).ToList();

        var diff = expected.Except(actual).Select(x => "- model has, database lacks: " + x)
            .Concat(actual.Except(expected).Select(x => "+ database has, model lacks: " + x)).ToList();
        Assert.True(diff.Count == 0, $"Migrated schema of {db.GetType().Name} differs from its EF model:\n" + string.Join("\n", diff));
    }

    /// <summary>The model's facts, sorted.</summary>
    public static List<string> Describe(DbContext db)
    {
        var lines = new List<string>();
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            foreach (var column in table.Columns) lines.Add(Column(table.Name, column.Name, column.StoreType, column.IsNullable));
            if (table.PrimaryKey is { } pk) lines.Add(PrimaryKey(table.Name, pk.Name, pk.Columns.Select(c => c.Name)));
            foreach (var index in table.Indexes) lines.Add(Index(table.Name, index.Name, index.Columns.Select(c => c.Name), index.IsUnique));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The database's facts for every table but the providers' own and the migration histories, sorted.</summary>
    public static async Task<List<string>> ReadAsync(DbConnection connection)
    {
        var lines = connection switch
        {
            SqliteConnection sqlite => await ReadSqliteAsync(sqlite),
            NpgsqlConnection postgres => await ReadPostgresAsync(postgres),
            _ => throw new NotSupportedException(connection.GetType().Name),
        };
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> ReadSqliteAsync(SqliteConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'");
        foreach (var (table, sql) in tables.Select(r => ((string)r[0]!, (string)r[1]!)))
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

    private static async Task<List<string>> ReadPostgresAsync(NpgsqlConnection connection)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection,
                     "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns " +
                     "WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_%'"))
            lines.Add(Column((string)c[0]!, (string)c[1]!, (string)c[2]!, (string)c[3]! == "YES"));

        foreach (var i in await QueryAsync(connection, """
                     SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,
                            array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                                                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',')
                     FROM pg_index ix
                     JOIN pg_class t ON t.oid = ix.indrelid
                     JOIN pg_class i ON i.oid = ix.indexrelid
                     JOIN pg_namespace n ON n.oid = t.relnamespace
                     WHERE n.nspname = 'public' AND t.relname NOT LIKE '\_\_%'
                     """))
        {
            var table = (string)i[0]!;
            var columns = ((string)i[4]!).Split(',');
            lines.Add((bool)i[3]! ? PrimaryKey(table, (string)i[1]!, columns) : Index(table, (string)i[1]!, columns, (bool)i[2]!));
        }

        return lines;
    }

    private static string TableOf(string fact) => fact[..fact.IndexOfAny(['.', ' '])];

    /// <summary>
    /// The type without its length ("character varying(256)" → "character varying"): PostgreSQL's catalogue reports the
    /// length apart, and a length is a model-level rule that the column type's name does not need to repeat here.
    /// </summary>
    private static string Column(string table, string column, string type, bool nullable)
    {
        var bracket = type.IndexOf('(', StringComparison.Ordinal);
        var name = (bracket < 0 ? type : type[..bracket]).Trim().ToLowerInvariant();
        return $"{table}.{column} {name} {(nullable ? "null" : "not null")}";
    }

    private static string PrimaryKey(string table, string name, IEnumerable<string> columns) =>
        $"{table} primary key {name} ({string.Join(", ", columns)})";

    private static string Index(string table, string name, IEnumerable<string> columns, bool unique) =>
        $"{table} index {name} ({string.Join(", ", columns)}){(unique ? " unique" : "")}";

    private static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql)
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
