using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

public sealed class SqlitePartialDueIndexMigrationTests() : PartialDueIndexMigrationTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
public sealed class PostgresPartialDueIndexMigrationTests() : PartialDueIndexMigrationTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// The due-time index keeps only timers since <c>20261214010000_PartialDueIndex</c>: a database from before it, with an
/// instance waiting on a timer and one waiting on a task, still has its timer in the due page, the timer list and the
/// next due time afterwards, and the task's bookmark by its kind and key; timers committed after the migration join them.
/// </summary>
public abstract class PartialDueIndexMigrationTests(Func<Task<ITestDatabase>> createDatabase)
{
    private const string Before = "20261211030100_PartialKeyIndexes";

    [DatabaseFact]
    public async Task TimersAndBookmarksFromBeforeTheMigration_AreFoundAfterwards()
    {
        var database = await createDatabase();
        var due = T0.AddDays(1);
        await using (var db = await EarlierSchema.OpenAsync(database, Before))
        {
            foreach (var id in new[] { "on-timer", "on-task" })
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO wf_instances (id, definition_id, definition_version_id, version, correlation_id, name, status, sub_status, " +
                    "incident_count, created_at, updated_at, finished_at, concurrency_version, state, tenant_id) " +
                    "VALUES ({0}, 'course', 'course-v1', 1, NULL, 'Course', 0, 2, 0, 0, 0, NULL, 1, '{{}}', 'default')", id);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_bookmarks (id, instance_id, activity_instance_id, activity_node_id, kind, key, correlation_id, due_at, created_at, payload, tenant_id) VALUES " +
                "('bm-timer', 'on-timer', 'delay-ai', 'Workflow1:flowchart1:delay', 'Elsa.Delay', NULL, NULL, {0}, 0, NULL, 'default'), " +
                "('bm-task', 'on-task', 'task-ai', 'Workflow1:flowchart1:review', 'Exit.HumanTask', 'task-1', NULL, NULL, 0, NULL, 'default')",
                UtcTicksConverter.ToTicks(due));
        }

        await using var harness = await PersistenceHarness.CreateAsync(database);
        var page = await harness.Instances.ReadDueTimersAsync(due, null, 10, default);
        Assert.Equal("bm-timer", Assert.Single(page.Due).Id);
        Assert.Equal("on-timer", Assert.Single(page.Instances).Key);
        Assert.Equal(["bm-timer"], await harness.Instances.ListTimerBookmarksAsync(default).Select(b => b.Id).ToListAsync());
        Assert.Equal(due, await harness.Instances.FindNextTimerDueAsync(T0, default));
        using (TenantScope.Enter(TenantIds.Default))
            Assert.Equal("on-task", Assert.Single(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(Kind: "Exit.HumanTask", Key: "task-1"), default)).InstanceId);

        // A timer committed after the migration comes due after the old one, in the same page.
        var commit = StartCommit();
        var later = due.AddHours(1);
        commit = commit with { AddedBookmarks = [Bookmark(commit.Instance.Id, "bm-new", kind: "Elsa.Delay", key: null, dueAt: later)] };
        using (TenantScope.Enter(TenantIds.Default)) await harness.Instances.CommitAsync(commit, default);
        Assert.Equal(["bm-timer", "bm-new"], (await harness.Instances.ReadDueTimersAsync(later, null, 10, default)).Due.Select(b => b.Id));
    }
}
