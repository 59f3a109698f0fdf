using Exit.Testing;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>
/// A Resumed journal row in a later commit than its activity's Suspended row stores "same state as before" only when its
/// inputs evaluate as they did at the suspension; otherwise it stores its own state. Both read back as the engine recorded
/// them, through the real engine and the SQLite store.
/// </summary>
public sealed class ResumedJournalStateTests
{
    private const string Definition = """
        {
          "definitionId": "two-events", "id": "two-events-v1", "name": "two-events",
          "variables": [{ "id": "v", "name": "v", "typeName": "String", "value": "first" }],
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "A", "type": "Elsa.Event", "eventName": "a" },
              { "id": "B", "type": "Elsa.Event", "eventName": { "typeName": "String", "expression": { "type": "Variable", "value": { "id": "v" } } } },
              { "id": "Set", "type": "Elsa.SetVariable", "variable": { "id": "v" }, "value": "changed" }
            ],
            "connections": [
              { "source": "Start1", "target": "A", "sourcePort": "Done", "targetPort": "In" },
              { "source": "Start1", "target": "B", "sourcePort": "Done", "targetPort": "In" },
              { "source": "A", "target": "Set", "sourcePort": "Done", "targetPort": "In" }
            ] }
        }
        """;

    [Fact]
    public async Task ResumedRows_StoreTheMarkerOnlyWhenTheInputsEvaluateAsAtTheSuspension()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = new WorkflowHarness(store: persistence.Instances);
        await h.PublishAsync(Definition);
        var started = await h.StartAsync("two-events");
        var bookmarks = await h.BookmarksAsync(started.InstanceId);
        Assert.Equal(2, bookmarks.Count);
        // The stored document says which waiting activities hold the state their last journal row recorded.
        Assert.Equal(2, (await StoredStateAsync(persistence, started.InstanceId)).Split("\"sj\":1").Length - 1);

        // A resumes with the inputs it was suspended with; then Set changes v, so B's input evaluates differently at its resume.
        var a = bookmarks.Single(b => b.Key == "a");
        await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(a.Id), CancellationToken.None);
        var b = Assert.Single(await h.BookmarksAsync(started.InstanceId));
        await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(b.Id), CancellationToken.None);

        var journal = await h.JournalAsync(started.InstanceId);
        string? EventName(string activityId, string eventName) =>
            journal.Single(r => r.ActivityId == activityId && r.EventName == eventName).ActivityState?["EventName"]?.GetValue<string>();
        Assert.Equal(("a", "a"), (EventName("A", JournalEvents.Suspended), EventName("A", JournalEvents.Resumed)));
        Assert.Equal(("first", "changed"), (EventName("B", JournalEvents.Suspended), EventName("B", JournalEvents.Resumed)));
        Assert.Equal("changed", EventName("B", JournalEvents.Completed));

        var stored = await StoredStatesAsync(persistence, started.InstanceId, JournalEvents.Resumed);
        Assert.Equal("=", stored["A"]);
        Assert.Contains("changed", stored["B"], StringComparison.Ordinal);
    }

    private static async Task<string> StoredStateAsync(PersistenceHarness persistence, string instanceId)
    {
        await using var db = await persistence.ContextFactory.CreateDbContextAsync();
        return await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.State).SingleAsync();
    }

    private static async Task<Dictionary<string, string?>> StoredStatesAsync(PersistenceHarness persistence, string instanceId, string eventName)
    {
        await using var db = await persistence.ContextFactory.CreateDbContextAsync();
        return await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId && j.EventName == eventName)
            .ToDictionaryAsync(j => j.ActivityId, j => j.ActivityState);
    }
}
