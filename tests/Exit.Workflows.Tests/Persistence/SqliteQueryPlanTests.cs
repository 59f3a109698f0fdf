using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>The due-timer query is answered from ix_wf_bookmarks_due_at_id, in index order (no sort step).</summary>
public sealed class SqliteQueryPlanTests
{
    [Fact]
    public async Task DueTimerQuery_UsesDueIndexWithoutSorting()
    {
        await using var h = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        var due = T0;
        // The same shape the sweep's page reader (EfDueTimerPageReader) builds: every tenant's due timers, past the filter.
        var sql = db.Bookmarks.IgnoreQueryFilters().AsNoTracking().Where(x => x.DueAt != null).Where(x => x.DueAt <= due)
            .OrderBy(x => x.DueAt).ThenBy(x => x.Id).Take(100).ToQueryString();
        var statement = string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + statement;
        foreach (var line in sql.Split('\n').Where(l => l.StartsWith(".param set", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', 4);
            var p = cmd.CreateParameter();
            p.ParameterName = parts[2];
            p.Value = long.TryParse(parts[3], out var n) ? n : parts[3];
            cmd.Parameters.Add(p);
        }
        var plan = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        var text = string.Join(" | ", plan);
        Assert.Contains("ix_wf_bookmarks_due_at_id", text);
        Assert.DoesNotContain("TEMP B-TREE", text);
        Assert.Contains(WorkflowDbContext.BookmarksTable, sql);
    }
}
