using System.Diagnostics;
using Exit.Workflows.State;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Execution;

public sealed class LoopScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Loop_TwoHundredIterationsInOneBurst_FinishesQuicklyWithOnlyFinishedState()
    {
        await using var h = new WorkflowHarness();
        await h.PublishAsync("""
            {
              "definitionId": "loop", "id": "loop-v1", "name": "loop",
              "variables": [{ "id": "c", "name": "count", "typeName": "Int32", "value": "0" }],
              "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
                "activities": [
                  { "id": "Start1", "type": "Elsa.Start" },
                  { "id": "Inc", "type": "Elsa.SetVariable", "variable": { "id": "c" },
                    "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getCount() + 1" } } },
                  { "id": "D", "type": "Elsa.FlowDecision", "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getCount() >= 200" } } }
                ],
                "connections": [
                  { "source": "Start1", "target": "Inc" }, { "source": "Inc", "target": "D" },
                  { "source": "D", "target": "Inc", "sourcePort": "False" }
                ] }
            }
            """);

        var watch = Stopwatch.StartNew();
        var result = await h.StartAsync("loop");
        output.WriteLine($"{watch.ElapsedMilliseconds} ms");

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(200, (await h.InstanceAsync(result.InstanceId)).Variables["c"]!.GetValue<int>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{watch.ElapsedMilliseconds} ms");
    }
}

