using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// The hot queries keep their index: the due-timer query is answered from ix_wf_bookmarks_due_at_id in index order (no
/// sort step); the partial kind/key and correlation indexes still serve the lookups by key and correlation id; the journal
/// is read by its key in sequence order.
/// </summary>
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
        var statement = Statement(sql);
        var text = await PlanAsync(db, statement, Parameters(sql));
        Assert.Contains("ix_wf_bookmarks_due_at_id", text);
        Assert.DoesNotContain("TEMP B-TREE", text);
        Assert.Contains(WorkflowDbContext.BookmarksTable, sql);
    }

    [Fact]
    public async Task LookupsByKindAndKey_UseThePartialKindKeyIndex()
    {
        await using var h = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        // The store's own lookup by kind and key (EfWorkflowInstanceStore.ReadBookmarksAsync), as it sends it.
        var raw = await PlanAsync(db,
            "SELECT id FROM \"wf_bookmarks\" WHERE (\"kind\" = @kind AND \"key\" = @key) AND \"tenant_id\" = @tenant_id ORDER BY \"created_at\", \"id\"",
            [("@kind", "Exit.HumanTask"), ("@key", "task-1"), ("@tenant_id", "default")]);
        Assert.Contains("ix_wf_bookmarks_tenant_id_kind_key", raw);

        // The event lookup through EF (kind, key and correlation id), as WorkflowRuntime's event publishing builds it.
        string kind = "Elsa.Event", key = "paid", correlation = "case-1";
        var sql = db.Bookmarks.AsNoTracking().Where(x => x.Kind == kind).Where(x => x.Key == key).Where(x => x.CorrelationId == correlation)
            .OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).ToQueryString();
        Assert.Contains("ix_wf_bookmarks_tenant_id_kind_key", await PlanAsync(db, Statement(sql), Parameters(sql)));
    }

    [Fact]
    public async Task InstancesByCorrelationId_UseThePartialCorrelationIndex()
    {
        await using var h = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        var correlation = "case-1";
        var sql = db.Instances.AsNoTracking().Where(x => x.CorrelationId == correlation).Select(x => x.Id).ToQueryString();
        Assert.Contains("ix_wf_instances_tenant_id_correlation_id", await PlanAsync(db, Statement(sql), Parameters(sql)));
    }

    [Fact]
    public async Task JournalRead_SeeksTheKeyInSequenceOrder()
    {
        await using var h = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        var instanceId = "i-1";
        // The shape EfWorkflowInstanceStore.GetJournalAsync reads.
        var sql = db.Journal.AsNoTracking().Where(x => x.InstanceId == instanceId).OrderBy(x => x.Sequence).Take(50).ToQueryString();
        var text = await PlanAsync(db, Statement(sql), Parameters(sql));
        Assert.Contains("USING PRIMARY KEY (instance_id=?", text);
        Assert.DoesNotContain("TEMP B-TREE", text);
    }

    private static string Statement(string sql) =>
        string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));

    private static List<(string Name, object Value)> Parameters(string sql) =>
        sql.Split('\n').Where(l => l.StartsWith(".param set", StringComparison.Ordinal))
            .Select(line => line.Split(' ', 4))
            .Select(parts => (parts[2], long.TryParse(parts[3], out var n) ? (object)n : parts[3].Trim('\'')))
            .ToList();

    private static async Task<string> PlanAsync(WorkflowDbContext db, string statement, IEnumerable<(string Name, object Value)> parameters)
    {
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + statement;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        var plan = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return string.Join(" | ", plan);
    }
}
