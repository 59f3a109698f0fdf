using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Workflows.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Exit.Workflows.Tests.Tenancy;

public sealed class SqliteTenancyMigrationTests() : TenancyMigrationTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
public sealed class PostgresTenancyMigrationTests() : TenancyMigrationTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// A database from before tenancy becomes the first municipality (<c>default</c>) without loss: rows written by the
/// previous schema are there after the migration, in <c>default</c>, readable and resumable through the stores, and
/// invisible from any other municipality.
/// </summary>
public abstract class TenancyMigrationTests(Func<Task<ITestDatabase>> createDatabase)
{
    private const string BeforeTenancy = "20261208040000_AlterationPlans";

    [DatabaseFact]
    public async Task RowsFromBeforeTenancy_BelongToTheDefaultMunicipalityAfterTheMigration()
    {
        var database = await createDatabase();
        await using (var db = await EarlierSchema.OpenAsync(database, BeforeTenancy))
        {
            // What the previous schema held (braces doubled: the raw SQL is a format string): a definition, an instance waiting on a bookmark, its journal.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_definitions (id, definition_id, version, name, description, is_latest, is_published, created_at, json) " +
                "VALUES ('course-v1', 'course', 1, 'Course', NULL, TRUE, TRUE, 0, '{{\"id\":\"course-v1\"}}')");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_instances (id, definition_id, definition_version_id, version, correlation_id, name, status, sub_status, " +
                "incident_count, created_at, updated_at, finished_at, concurrency_version, state) " +
                "VALUES ('old-1', 'course', 'course-v1', 1, 'case-1', 'Course', 0, 1, 0, 0, 0, NULL, 1, '{{}}')");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_bookmarks (id, instance_id, activity_instance_id, activity_node_id, kind, key, correlation_id, due_at, created_at, payload) " +
                "VALUES ('bm-1', 'old-1', 'ai-1', 'Workflow1:Flowchart1:E', 'Elsa.Event', 'paid', NULL, NULL, 0, NULL)");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_journal (instance_id, sequence, timestamp, activity_instance_id, parent_activity_instance_id, activity_id, activity_type, " +
                "activity_type_version, activity_name, node_id, event_name, message, activity_state, payload) " +
                "VALUES ('old-1', 0, 0, 'ai-1', NULL, 'E', 'Elsa.Event', 1, NULL, 'Workflow1:Flowchart1:E', 'Started', NULL, NULL, NULL)");
        }

        await using var harness = await PersistenceHarness.CreateAsync(database);
        using (TenantScope.Enter(TenantIds.Default))
        {
            Assert.Equal("course-v1", (await harness.Definitions.FindAsync("course", VersionOptions.Published, default))!.Id);
            var found = await harness.Instances.FindByBookmarkAsync("bm-1", default);
            Assert.Equal(TenantIds.Default, found!.Instance.TenantId);
            Assert.Equal("bm-1", Assert.Single(found.Bookmarks).Id);
            Assert.Single((await harness.Instances.GetJournalAsync("old-1", 0, 10, default)).Items);
            Assert.Single(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(Kind: "Elsa.Event", Key: "paid"), default));
        }
        using (TenantScope.Enter("aarhus"))
        {
            Assert.Null(await harness.Definitions.FindAsync("course", VersionOptions.Published, default));
            Assert.Null(await harness.Instances.FindAsync("old-1", default));
            Assert.Empty((await harness.Instances.GetJournalAsync("old-1", 0, 10, default)).Items);
        }
    }
}
