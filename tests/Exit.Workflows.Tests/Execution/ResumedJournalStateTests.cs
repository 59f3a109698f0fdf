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
        // The waiting activities' evaluated inputs are in their journal rows: the stored document keeps only their hashes.
        var document = await StoredStateAsync(persistence, started.InstanceId);
        Assert.Equal(2, document.Split("\"sh\":").Length - 1);
        Assert.DoesNotContain("EventName", document, StringComparison.Ordinal);

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

    [Fact]
    public async Task Cancelling_WhileTheInputsAreOnlyInTheJournal_RecordsTheStateTheyWereSuspendedWith()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = new WorkflowHarness(store: persistence.Instances);
        await h.PublishAsync(Definition);
        var started = await h.StartAsync("two-events");

        await h.Runtime.CancelAsync(started.InstanceId, CancellationToken.None);

        var journal = await h.JournalAsync(started.InstanceId);
        foreach (var (activity, eventName) in new[] { ("A", "a"), ("B", "first") })
        {
            var canceled = journal.Single(r => r.ActivityId == activity && r.EventName == JournalEvents.Canceled);
            Assert.Equal(eventName, canceled.ActivityState?["EventName"]?.GetValue<string>());
        }
        Assert.Equal("=", (await StoredStatesAsync(persistence, started.InstanceId, JournalEvents.Canceled))["A"]);
    }

    [Fact]
    public async Task ADocumentThatStillHoldsTheState_ReadsAsStored_AndResumesAsBefore()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = new WorkflowHarness(store: persistence.Instances);
        await h.PublishAsync(Definition);
        var started = await h.StartAsync("two-events");
        // The previous form: each waiting activity's whole state, with "sj" (same as its latest journal row) or without it.
        var document = await StoredStateAsync(persistence, started.InstanceId);
        var previous = System.Text.RegularExpressions.Regex.Replace(document, "(\"[nd]\":\"(?:[^\"]*:)?(A|B)\"[^{}]*)\"sh\":\"[^\"]*\"",
            m => m.Groups[1].Value + (m.Groups[2].Value == "A" ? "\"st\":{\"EventName\":\"a\"},\"sj\":1" : "\"st\":{\"EventName\":\"first\"}"));
        Assert.DoesNotContain("\"sh\"", previous, StringComparison.Ordinal);
        await using (var db = await persistence.ContextFactory.CreateDbContextAsync())
            await db.Instances.Where(i => i.Id == started.InstanceId).ExecuteUpdateAsync(u => u.SetProperty(i => i.State, previous));

        // B first: the resume of A runs Set, which changes v.
        foreach (var key in new[] { "first", "a" })
        {
            var bookmark = (await h.BookmarksAsync(started.InstanceId)).Single(b => b.Key == key);
            await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id), CancellationToken.None);
        }

        var journal = await h.JournalAsync(started.InstanceId);
        Assert.Equal("a", journal.Single(r => r.ActivityId == "A" && r.EventName == JournalEvents.Resumed).ActivityState?["EventName"]?.GetValue<string>());
        Assert.Equal("first", journal.Single(r => r.ActivityId == "B" && r.EventName == JournalEvents.Resumed).ActivityState?["EventName"]?.GetValue<string>());
        var stored = await StoredStatesAsync(persistence, started.InstanceId, JournalEvents.Resumed);
        Assert.Equal("=", stored["A"]);
        Assert.Contains("first", stored["B"], StringComparison.Ordinal);
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
