using System.Text.Json.Nodes;
using Exit.Testing;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>
/// A resume of an activity whose inputs are all literals leaves them unevaluated when the stored hash is the one they are
/// known to evaluate to (<see cref="ResumedInputs"/>): the journal rows are stored and read back as after an evaluation,
/// an activity that asks for an input still gets it, and a hash that differs evaluates them as before. Real engine, SQLite store.
/// </summary>
public sealed class ResumedInputsTests
{
    private const string Definition = """
        {
          "definitionId": "notes", "id": "notes-v1", "name": "notes",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "N", "type": "Test.Note",
                "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Mødenotat" } },
                "tags": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"plan\",\"opfølgning\"]" } } }
            ],
            "connections": [ { "source": "Start1", "target": "N", "sourcePort": "Done", "targetPort": "In" } ] }
        }
        """;

    [Fact]
    public async Task LiteralInputs_LaterResumesStoreTheSameRows_AndTheActivityStillReadsItsInputs()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        var reads = new NoteReads();
        await using var h = new WorkflowHarness(s => s.AddSingleton(reads).AddActivity<NoteActivity>(NoteActivity.Descriptor), store: persistence.Instances);
        await h.PublishAsync(Definition);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await h.StartAsync("notes")).InstanceId);

        // The first resume evaluates the inputs; the later ones find the node's hash equal to the stored one. The last one reads its title.
        foreach (var (id, input) in ids.Zip(new JsonNode?[] { null, null, JsonValue.Create("read") }))
        {
            var bookmark = Assert.Single(await h.BookmarksAsync(id));
            var result = await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(bookmark.Id, input), CancellationToken.None);
            Assert.Equal(WorkflowStatus.Finished, result!.Status);
        }

        Assert.Equal(["Mødenotat"], reads.Titles);
        foreach (var id in ids)
        {
            var journal = await h.JournalAsync(id);
            foreach (var eventName in new[] { JournalEvents.Suspended, JournalEvents.Resumed, JournalEvents.Completed })
            {
                var state = journal.Single(r => r.ActivityId == "N" && r.EventName == eventName).ActivityState;
                Assert.Equal("""{"Title":"Mødenotat","Tags":["plan","opfølgning"]}""", state?.ToJsonString(InstanceStateSerializer.Options));
            }
        }
        // Stored: the Resumed and Completed rows say "same state as before", byte for byte as after the first (evaluated) resume.
        var stored = new List<string>();
        foreach (var id in ids) stored.Add(string.Join("|", await StoredStatesOfNoteAsync(persistence, id)));
        Assert.Equal(stored[0], stored[1]);
        Assert.Equal(stored[0], stored[2]);
        Assert.EndsWith("}|=|=|=", stored[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoredHashOtherThanTheNodes_EvaluatesTheInputs_AndTheResumedRowKeepsThem()
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await using var h = new WorkflowHarness(s => s.AddSingleton(new NoteReads()).AddActivity<NoteActivity>(NoteActivity.Descriptor), store: persistence.Instances);
        await h.PublishAsync(Definition);
        var first = (await h.StartAsync("notes")).InstanceId;
        var second = (await h.StartAsync("notes")).InstanceId;
        await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(Assert.Single(await h.BookmarksAsync(first)).Id), CancellationToken.None);

        // As if the second had waited with other inputs (an instance an alteration moved to this version): another hash.
        var other = StateHash.Of(new JsonObject { ["Title"] = "Før", ["Tags"] = new JsonArray("plan") });
        await using (var db = await persistence.ContextFactory.CreateDbContextAsync())
        {
            var document = await db.Instances.AsNoTracking().Where(i => i.Id == second).Select(i => i.State).SingleAsync();
            var changed = System.Text.RegularExpressions.Regex.Replace(document, "\"sh\":\"[^\"]*\"", $"\"sh\":\"{other}\"");
            Assert.NotEqual(document, changed);
            await db.Instances.Where(i => i.Id == second).ExecuteUpdateAsync(u => u.SetProperty(i => i.State, changed));
        }
        await h.Runtime.ResumeAsync(new ResumeBookmarkRequest(Assert.Single(await h.BookmarksAsync(second)).Id), CancellationToken.None);

        var resumed = (await StoredStatesOfNoteAsync(persistence, second))[2];
        Assert.Contains("Mødenotat", resumed, StringComparison.Ordinal);
        Assert.Equal("Mødenotat", (await h.JournalAsync(second)).Single(r => r.ActivityId == "N" && r.EventName == JournalEvents.Resumed)
            .ActivityState?["Title"]?.GetValue<string>());
    }

    [Fact]
    public void OnlyANodeWhoseDeclaredInputsAreAllLiterals_IsVouchedFor_AndOnlyWithItsOwnDescriptorAndHash()
    {
        var evaluator = new ExpressionEvaluator(new JavaScriptEvaluator(new CountingIdGenerator(), new JavaScriptOptions(), []));
        var descriptor = NoteActivity.Descriptor;
        var state = new JsonObject { ["Title"] = "Mødenotat", ["Tags"] = new JsonArray("none") };
        var hash = StateHash.Of(state);

        var literal = Node(new InputValue(InputValue.Literal, JsonValue.Create("Mødenotat"), "String"));
        Assert.False(ResumedInputs.Vouch(literal, descriptor, hash));
        ResumedInputs.Remember(literal, descriptor, evaluator, state);
        Assert.True(ResumedInputs.Vouch(literal, descriptor, hash));
        Assert.False(ResumedInputs.Vouch(literal, descriptor, StateHash.Of(new JsonObject { ["Title"] = "Andet" })));
        Assert.False(ResumedInputs.Vouch(literal, descriptor with { }, hash));

        var script = Node(new InputValue(InputValue.JavaScript, JsonValue.Create("'Mødenotat'"), "String"));
        ResumedInputs.Remember(script, descriptor, evaluator, state);
        Assert.False(ResumedInputs.Vouch(script, descriptor, hash));

        var variable = Node(new InputValue(InputValue.Variable, new JsonObject { ["id"] = "v" }, "String"));
        ResumedInputs.Remember(variable, descriptor, evaluator, state);
        Assert.False(ResumedInputs.Vouch(variable, descriptor, hash));

        // Another evaluator may give a literal another meaning.
        var elsewhere = Node(new InputValue(InputValue.Literal, JsonValue.Create("Mødenotat"), "String"));
        ResumedInputs.Remember(elsewhere, descriptor, new OtherEvaluator(), state);
        Assert.False(ResumedInputs.Vouch(elsewhere, descriptor, hash));
    }

    private static ActivityNode Node(InputValue title) => new()
    {
        Id = "N", NodeId = "Workflow1:Flowchart1:N", Type = NoteActivity.Descriptor.TypeName,
        Inputs = new Dictionary<string, InputValue> { ["title"] = title },
    };

    private sealed class OtherEvaluator : IExpressionEvaluator
    {
        public object? Evaluate(InputValue? input, Type targetType, IExpressionScope scope) => null;
    }

    /// <summary>The stored activity_state of the note's rows in sequence order (Started, Suspended, Resumed, Completed).</summary>
    private static async Task<List<string>> StoredStatesOfNoteAsync(PersistenceHarness persistence, string instanceId)
    {
        await using var db = await persistence.ContextFactory.CreateDbContextAsync();
        return (await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId && j.ActivityId == "N")
                .OrderBy(j => j.Sequence).Select(j => j.ActivityState).ToListAsync())
            .Select(s => s ?? "null").ToList();
    }
}
