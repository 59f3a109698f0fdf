using Exit.Workflows.Execution;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>The runtime committing through the EF Core store on SQLite.</summary>
public sealed class SqliteRuntimeTests
{
    [Fact]
    public async Task ResumeAsync_SameBookmarkConcurrentlyOnSqlite_ExactlyOneCommitsAndTheStepRunsOnce()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = await WaitingHarnessAsync(persistence);
        var started = await h.StartAsync("wait");
        var bookmark = Assert.Single(started.Bookmarks);

        using var gate = new ManualResetEventSlim(false);
        var attempts = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            using var scope = h.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>()
                .ResumeAsync(new ResumeBookmarkRequest(bookmark.Id), CancellationToken.None);
        })).ToList();
        gate.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is not null);
        Assert.Equal(WorkflowStatus.Finished, (await h.InstanceAsync(started.InstanceId)).Status);
        Assert.Single(await h.JournalAsync(started.InstanceId), r => r.ActivityId == "X" && r.EventName == JournalEvents.Resumed);
        Assert.Empty(await h.BookmarksAsync(started.InstanceId));
    }

    [Fact]
    public async Task ResumeAsync_InstanceStoredInTheVersion1StateDocument_ResumesAndIsRewrittenCompact()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = await WaitingHarnessAsync(persistence);
        var started = await h.StartAsync("wait");
        var bookmark = Assert.Single(started.Bookmarks);
        // Rewrite the row's state as the store wrote it before the compact document: camelCase names, every field.
        var instance = await h.InstanceAsync(started.InstanceId);
        var version1 = System.Text.Json.JsonSerializer.Serialize(
            new { activityInstances = instance.ActivityInstances, nextJournalSequence = instance.NextJournalSequence }, Version1Options);
        Assert.Equal(1, await ExecuteAsync(persistence, """UPDATE "wf_instances" SET "state" = @state WHERE "id" = @id""", version1, started.InstanceId));

        var resumed = await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id), CancellationToken.None);

        Assert.Equal(WorkflowStatus.Finished, resumed!.Status);
        Assert.Single(await h.JournalAsync(started.InstanceId), r => r.ActivityId == "X" && r.EventName == JournalEvents.Completed);
        await using var db = await persistence.ContextFactory.CreateDbContextAsync();
        var stored = await db.Instances.AsNoTracking().Where(i => i.Id == started.InstanceId).Select(i => i.State).SingleAsync();
        Assert.StartsWith(Exit.Workflows.Persistence.EntityFramework.CompactStateDocument.Marker, stored);
    }

    /// <summary>A runtime on <paramref name="persistence"/>'s store with "wait" published: Start, then a bookmark at X.</summary>
    private static async Task<WorkflowHarness> WaitingHarnessAsync(PersistenceHarness persistence)
    {
        var h = new WorkflowHarness(s => s.AddActivity<WaitActivity>(WaitActivity.Descriptor), store: persistence.Instances);
        await h.PublishAsync("""
            {
              "definitionId": "wait", "id": "wait-v1", "name": "wait",
              "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
                "activities": [ { "id": "Start1", "type": "Elsa.Start" }, { "id": "X", "type": "Test.Wait" } ],
                "connections": [ { "source": "Start1", "target": "X" } ] }
            }
            """);
        return h;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Version1Options = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    private static async Task<int> ExecuteAsync(PersistenceHarness persistence, string sql, string state, string id)
    {
        await using var db = await persistence.ContextFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in new[] { ("@state", state), ("@id", id) })
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return await cmd.ExecuteNonQueryAsync();
    }
}
