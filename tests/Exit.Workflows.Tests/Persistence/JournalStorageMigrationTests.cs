using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

public sealed class SqliteJournalStorageMigrationTests() : JournalStorageMigrationTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()))
{
    [Fact]
    public async Task OnSqlite_TheJournalIsAWithoutRowidTableWithoutASeparateKeyIndex()
    {
        await using var harness = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var db = await harness.ContextFactory.CreateDbContextAsync();
        var sql = await db.Database.SqlQueryRaw<string>(
            "SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'wf_journal'").SingleAsync();
        Assert.EndsWith("WITHOUT ROWID", sql.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"pk_wf_journal\" PRIMARY KEY (\"instance_id\", \"sequence\")", sql, StringComparison.Ordinal);
        // The key is the table itself: no index beside it (a rowid table keeps sqlite_autoindex_wf_journal_1 as well).
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'wf_journal'").ToListAsync();
        Assert.Empty(indexes);
    }
}

[RequiresPostgres]
public sealed class PostgresJournalStorageMigrationTests() : JournalStorageMigrationTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// The migrations of issue 13's fourth round (the SQLite journal rebuilt as a <c>WITHOUT ROWID</c> table, the partial
/// kind/key and correlation indexes) keep what was stored before them: journal rows written by the previous schema, whole
/// and compacted (<see cref="JournalCompaction"/> markers), read back as before, and a keyed bookmark and a correlated
/// instance are still found by their key and correlation id; new commits after the migration read back too.
/// </summary>
public abstract class JournalStorageMigrationTests(Func<Task<ITestDatabase>> createDatabase)
{
    private const string Before = "20261210030000_AlterationJobClaims";

    [DatabaseFact]
    public async Task RowsFromBeforeTheMigration_ReadBackAsStored()
    {
        var database = await createDatabase();
        await using (var db = await EarlierSchema.OpenAsync(database, Before))
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_instances (id, definition_id, definition_version_id, version, correlation_id, name, status, sub_status, " +
                "incident_count, created_at, updated_at, finished_at, concurrency_version, state, tenant_id) " +
                "VALUES ('old-1', 'course', 'course-v1', 1, 'case-1', 'Course', 0, 1, 0, 0, 0, NULL, 1, '{{}}', 'default')");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_bookmarks (id, instance_id, activity_instance_id, activity_node_id, kind, key, correlation_id, due_at, created_at, payload, tenant_id) " +
                "VALUES ('bm-1', 'old-1', 'task-ai', 'Workflow1:flowchart1:review', 'Exit.HumanTask', 'task-1', NULL, NULL, 0, NULL, 'default')");
            // Instants as a clock gives them (2024-12): a value below JournalCompaction.StepLimit is read as a step.
            // A whole row, a row with the same-activity and same-state markers, and a row whose node id derives from its parent's.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_journal (instance_id, sequence, timestamp, activity_instance_id, parent_activity_instance_id, activity_id, activity_type, " +
                "activity_type_version, activity_name, node_id, event_name, message, activity_state, payload, tenant_id) VALUES " +
                "('old-1', 0, 638700000000000010, 'flow-ai', NULL, 'flowchart1', 'Elsa.Flowchart', 1, 'Flowchart1', 'Workflow1:flowchart1', 'Started', NULL, NULL, NULL, 'default'), " +
                "('old-1', 1, 638700000000000020, 'task-ai', 'flow-ai', 'review', 'Exit.HumanTask', 2, 'Review', '', 'Started', NULL, '{{\"Title\":\"Gennemgå sagen\"}}', NULL, 'default'), " +
                "('old-1', 2, 638700000000000030, 'task-ai', NULL, 'review', '=', 0, NULL, '', 'Suspended', 'waiting', '=', '{{\"taskId\":\"task-1\"}}', 'default')");
        }

        await using var harness = await PersistenceHarness.CreateAsync(database);
        using var tenant = TenantScope.Enter(TenantIds.Default);
        var journal = (await harness.Instances.GetJournalAsync("old-1", 0, 10, default)).Items;
        Assert.Equal([0L, 1L, 2L], journal.Select(r => r.Sequence));
        var suspended = journal[2];
        Assert.Equal(("flow-ai", "Exit.HumanTask", 2, "Review", "Workflow1:flowchart1:review"),
            (suspended.ParentActivityInstanceId, suspended.ActivityType, suspended.ActivityTypeVersion, suspended.ActivityName, suspended.NodeId));
        Assert.Equal("Gennemgå sagen", suspended.ActivityState!["Title"]!.GetValue<string>());
        Assert.Equal("task-1", suspended.Payload!["taskId"]!.GetValue<string>());
        Assert.Equal(("waiting", UtcTicksConverter.FromTicks(638700000000000030)), (suspended.Message, suspended.Timestamp));
        Assert.Equal("Workflow1:flowchart1:review", journal[1].NodeId);

        Assert.Equal("bm-1", Assert.Single(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(Kind: "Exit.HumanTask", Key: "task-1"), default)).Id);
        Assert.Equal("old-1", Assert.Single((await harness.Instances.ListAsync(new InstanceFilter(CorrelationId: "case-1"), default)).Items).Id);

        // The migrated table takes new rows after the old ones, for the old instance's key order and for a new instance.
        var commit = StartCommit();
        await harness.Instances.CommitAsync(commit, default);
        Assert.Equal(commit.Journal.Select(r => r.Sequence),
            (await harness.Instances.GetJournalAsync(commit.Instance.Id, 0, 100, default)).Items.Select(r => r.Sequence));
        Assert.Equal(3, (await harness.Instances.GetJournalAsync("old-1", 0, 10, default)).TotalCount);
    }
}
