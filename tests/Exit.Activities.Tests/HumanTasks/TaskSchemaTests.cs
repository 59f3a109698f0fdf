using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>No tool diffs the model against the hand-written migrations, so this test does.</summary>
public sealed class TaskSchemaTests : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrate_CreatesEveryColumnAndIndexOfTheModel()
    {
        await using var db = _db.Contexts.Create();
        await using var connection = _db.Open();

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var id = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var columns = Query(connection, $"SELECT name, \"notnull\" FROM pragma_table_info('{table}')")
                .ToDictionary(r => r[0], r => r[1] == "1");
            Assert.NotEmpty(columns);

            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(id)!;
                Assert.True(columns.ContainsKey(column), $"{table}.{column} is in the model but not in the migrated schema.");
                Assert.True(columns[column] == !property.IsNullable || property.IsPrimaryKey(), $"{table}.{column} nullability differs.");
            }

            Assert.Equal(entity.GetProperties().Count(), columns.Count);

            var indexes = Query(connection, $"SELECT name FROM pragma_index_list('{table}') WHERE origin = 'c'").Select(r => r[0]).ToHashSet();
            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName(id)!;
                Assert.Contains(name, indexes);
                var indexColumns = Query(connection, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno").Select(r => r[0]);
                Assert.Equal(index.Properties.Select(p => p.GetColumnName(id)), indexColumns);
            }
        }

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("__TaskMigrationsHistory", Query(connection, "SELECT name FROM sqlite_master WHERE type='table'").Select(r => r[0]));
    }

    private static List<string[]> Query(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        return rows;
    }
}
