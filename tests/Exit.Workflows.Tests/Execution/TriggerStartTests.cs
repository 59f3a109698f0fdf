using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Exit.Workflows.State;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>The runtime starting a new instance at the trigger activity that fired (StartWorkflowRequest.Trigger).</summary>
public sealed class TriggerStartTests
{
    private const string Flow = """
        {
          "definitionId": "two-ways", "id": "two-ways-v1", "name": "two-ways",
          "variables": [{ "id": "v-payload", "name": "payload", "typeName": "Object", "isArray": false }],
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "Manual", "type": "Elsa.WriteLine", "text": "started by hand" },
              { "id": "T", "type": "Elsa.Cron", "customProperties": { "canStartWorkflow": true }, "cronExpression": "0 0 6 * * *" },
              { "id": "Timed", "type": "Elsa.WriteLine", "text": "started by cron" },
              { "id": "E", "type": "Elsa.Event", "customProperties": { "canStartWorkflow": true }, "eventName": "approved",
                "result": { "typeName": "Object", "memoryReference": { "id": "v-payload" } } },
              { "id": "Evented", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'by ' + getPayload().user" } } }
            ],
            "connections": [
              { "source": "Start1", "target": "Manual" }, { "source": "T", "target": "Timed" }, { "source": "E", "target": "Evented" }
            ] }
        }
        """;

    [Fact]
    public async Task StartAsync_AtCronTrigger_CompletesTheTriggerAtOnceAndRunsOnlyItsBranch()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow);

        var result = await h.Runtime.StartAsync(
            new StartWorkflowRequest("two-ways", Trigger: new WorkflowTriggerStart("T")), CancellationToken.None);

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Empty(result.Bookmarks);
        Assert.Equal(["started by cron"], await h.LinesAsync(result.InstanceId));
        var journal = await h.JournalAsync(result.InstanceId);
        Assert.Contains(journal, r => r.ActivityId == "T" && r.EventName == JournalEvents.Completed);
        Assert.DoesNotContain(journal, r => r.ActivityId == "Start1");
    }

    [Fact]
    public async Task StartAsync_AtEventTrigger_PayloadIsTheTriggersResult()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow);

        var result = await h.Runtime.StartAsync(
            new StartWorkflowRequest("two-ways", CorrelationId: "c1", Trigger: new WorkflowTriggerStart("E", new JsonObject { ["user"] = "kim" })),
            CancellationToken.None);

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(["by kim"], await h.LinesAsync(result.InstanceId));
        Assert.Equal("c1", (await h.InstanceAsync(result.InstanceId)).CorrelationId);
    }

    [Fact]
    public async Task StartAsync_WithoutTrigger_StillStartsAtTheStartActivity()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync(Flow);

        var result = await h.StartAsync("two-ways");

        Assert.Equal(["started by hand"], await h.LinesAsync(result.InstanceId));
    }
}
