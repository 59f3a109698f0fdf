using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Exit.Host.Tests.Elsa;

public sealed class InstanceViewerEndpointsTests
{
    private static async Task<ElsaApiHost> StartWithInst1()
    {
        var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        model["variables"] = new JsonArray(new JsonObject { ["id"] = "v1", ["name"] = "Greeting", ["typeName"] = "String", ["value"] = "hi" },
            new JsonObject { ["id"] = "v2", ["name"] = "Count", ["typeName"] = "Int32", ["value"] = "0" });
        await host.Definitions.SaveAsync([Seed.Version(model, "wf1-v1", "wf1", 1, true, true)], default);
        Seed.Inst1(host.Instances);
        return host;
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        JsonContract.AssertCamelCase(json);
        return json;
    }

    [Fact]
    public async Task Variables_ListDeclaredVariables_WithholdingTextTheInstanceHolds()
    {
        await using var host = await StartWithInst1();
        var json = await Json(await host.Client.GetAsync("/elsa/api/workflow-instances/inst1/variables"));
        var items = json["items"]!.AsArray();
        Assert.Equal(2, json["count"]!.GetValue<int>());
        Assert.Equal("Greeting", items[0]!["name"]!.GetValue<string>());
        Assert.Equal(Exit.Host.Features.Elsa.Instances.GetVariables.Withheld, items[0]!["value"]!.GetValue<string>());
        Assert.Equal("0", items[1]!["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/elsa/api/workflow-instances/nope/variables")).StatusCode);
    }

    [Fact]
    public async Task ActivityExecutions_AreFoldedFromTheJournalPerActivityInstance()
    {
        await using var host = await StartWithInst1();
        var all = await Json(await host.Client.GetAsync("/elsa/api/activity-executions/list?WorkflowInstanceId=inst1"));
        Assert.Equal(4, all["count"]!.GetValue<int>());

        var delay = await Json(await host.Client.GetAsync("/elsa/api/activity-executions/list?WorkflowInstanceId=inst1&ActivityNodeId=Workflow1%3Aflowchart1%3Adelay1"));
        var record = delay["items"]!.AsArray().Single()!.AsObject();
        Assert.Equal("Running", record["status"]!.GetValue<string>());
        Assert.True(record["hasBookmarks"]!.GetValue<bool>());
        Assert.Null(record["completedAt"]);
        foreach (var key in new[] { "activityState", "payload", "outputs", "properties", "metadata" }) Assert.IsType<JsonObject>(record[key]);

        var byId = await Json(await host.Client.GetAsync($"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString(record["id"]!.GetValue<string>())}"));
        Assert.Equal("delay1", byId["activityId"]!.GetValue<string>());

        var report = await Json(await host.Client.GetAsync("/elsa/api/activity-execution-summaries/list?WorkflowInstanceId=inst1&ActivityNodeId=Workflow1%3Aflowchart1%3Areport1"));
        var faulted = report["items"]!.AsArray().Single()!;
        Assert.Equal("Faulted", faulted["status"]!.GetValue<string>());
        Assert.Equal(1, faulted["aggregateFaultCount"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/elsa/api/activity-executions/by-id?id=ae2")).StatusCode);
        var unknown = await Json(await host.Client.GetAsync("/elsa/api/activity-executions/list?WorkflowInstanceId=nope"));
        Assert.Empty(unknown["items"]!.AsArray());
    }

    [Fact]
    public async Task Report_CountsStartsAndCompletionsAndFlagsBlockedAndFaultedNodes()
    {
        await using var host = await StartWithInst1();
        var json = await Json(await host.Client.PostAsJsonAsync("/elsa/api/activity-executions/report", new
        {
            workflowInstanceId = "inst1",
            activityNodeIds = new[] { "Workflow1:flowchart1:timer1", "Workflow1:flowchart1:delay1", "Workflow1:flowchart1:report1", "Workflow1:flowchart1:d1d0e0cabe35581d" },
        }));
        var stats = json["stats"]!.AsArray().ToDictionary(s => s!["activityId"]!.GetValue<string>());
        Assert.Equal(4, stats.Count);
        Assert.Equal((1, 1, 0, false, false), Row(stats["timer1"]!));
        Assert.Equal((1, 0, 1, true, false), Row(stats["delay1"]!));
        Assert.Equal((1, 0, 1, false, true), Row(stats["report1"]!));
        Assert.Equal((0, 0, 0, false, false), Row(stats["d1d0e0cabe35581d"]!));
        Assert.IsType<JsonObject>(stats["timer1"]!["metadata"]);

        static (int, int, int, bool, bool) Row(JsonNode s) => (s["startedCount"]!.GetValue<int>(), s["completedCount"]!.GetValue<int>(),
            s["uncompletedCount"]!.GetValue<int>(), s["isBlocked"]!.GetValue<bool>(), s["isFaulted"]!.GetValue<bool>());
    }
}
