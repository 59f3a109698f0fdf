using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Definitions;
using Xunit;

namespace Exit.Host.Tests.Elsa;

/// <summary>The API over the real runtime and built-in activities: descriptors, save/publish, run, and the viewer.</summary>
public sealed class EngineEndToEndTests
{
    private static async Task<JsonObject> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var json = JsonNode.Parse(text)!.AsObject();
        JsonContract.AssertCamelCase(json);
        return json;
    }

    private static JsonObject Wrapped(string typeName, JsonNode value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    [Fact]
    public async Task BuiltInDescriptors_IncludeFlowchartAndEveryBuiltInWithPorts()
    {
        await using var host = await ElsaApiHost.StartAsync(realEngine: true);
        var list = await Ok(await host.Client.GetAsync("/elsa/api/descriptors/activities?Refresh=True"));
        var byType = list["items"]!.AsArray().ToDictionary(d => d!["typeName"]!.GetValue<string>());
        foreach (var type in new[] { "Elsa.Flowchart", "Elsa.WriteLine", "Elsa.Delay", "Elsa.Timer", "Elsa.FlowDecision", "Elsa.FlowFork", "Elsa.FlowJoin", "Elsa.End", "Elsa.NotFoundActivity" })
            Assert.True(byType.ContainsKey(type), $"missing {type}");
        Assert.Equal("Embedded", byType["Elsa.Flowchart"]!["ports"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(["True", "False"], byType["Elsa.FlowDecision"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("Trigger", byType["Elsa.Timer"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatePublishRun_ThenViewTheInstance()
    {
        await using var host = await ElsaApiHost.StartAsync(realEngine: true);
        var model = new JsonObject
        {
            ["name"] = "Greet then wait",
            ["variables"] = new JsonArray(new JsonObject { ["id"] = "greeting", ["name"] = "Greeting", ["typeName"] = "String", ["value"] = "hi" }),
            ["root"] = new JsonObject
            {
                ["id"] = "fc", ["type"] = "Elsa.Flowchart", ["version"] = 1,
                ["activities"] = new JsonArray(
                    new JsonObject { ["id"] = "write1", ["type"] = "Elsa.WriteLine", ["version"] = 1, ["text"] = Wrapped("String", "Hello") },
                    new JsonObject { ["id"] = "delay1", ["type"] = "Elsa.Delay", ["version"] = 1, ["timeSpan"] = Wrapped("TimeSpan", "01:00:00") }),
                ["connections"] = new JsonArray(new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = "write1", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "delay1", ["port"] = "In" },
                }),
            },
        };
        var saved = await Ok(await host.Client.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = true }));
        var definition = saved["workflowDefinition"]!.AsObject();
        JsonContract.AssertWorkflowDefinition(definition);
        Assert.True(definition["isPublished"]!.GetValue<bool>());
        var definitionId = definition["definitionId"]!.GetValue<string>();

        var run = await host.Client.PostAsync($"/elsa/api/workflow-definitions/{definitionId}/execute",
            new StringContent("{\"correlationId\":null,\"triggerActivityId\":null,\"versionOptions\":\"Latest\",\"input\":null}", Encoding.UTF8, "application/json"));
        var body = await Ok(run);
        var instanceId = Assert.Single(run.Headers.GetValues(ExecuteDefinition.InstanceIdHeader));
        Assert.Equal(instanceId, body["workflowInstanceId"]!.GetValue<string>());
        Assert.Equal("Suspended", body["subStatus"]!.GetValue<string>());

        var instance = await Ok(await host.Client.GetAsync($"/elsa/api/workflow-instances/{instanceId}"));
        Assert.Equal(definition["id"]!.GetValue<string>(), instance["definitionVersionId"]!.GetValue<string>());
        var byVersion = await Ok(await host.Client.GetAsync($"/elsa/api/workflow-definitions/by-id/{instance["definitionVersionId"]}"));
        JsonContract.AssertWorkflowDefinition(byVersion);

        var variables = await Ok(await host.Client.GetAsync($"/elsa/api/workflow-instances/{instanceId}/variables"));
        Assert.Equal("Greeting", variables["items"]![0]!["name"]!.GetValue<string>());

        var executions = await Ok(await host.Client.GetAsync($"/elsa/api/activity-executions/list?WorkflowInstanceId={instanceId}"));
        var records = executions["items"]!.AsArray().OfType<JsonObject>().ToList();
        var write = records.Single(r => r["activityId"]!.GetValue<string>() == "write1");
        Assert.Equal("Completed", write["status"]!.GetValue<string>());
        var delay = records.Single(r => r["activityId"]!.GetValue<string>() == "delay1");
        Assert.True(delay["hasBookmarks"]!.GetValue<bool>());
        var one = await Ok(await host.Client.GetAsync($"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString(delay["id"]!.GetValue<string>())}"));
        Assert.Equal("Elsa.Delay", one["activityType"]!.GetValue<string>());

        var report = await Ok(await host.Client.PostAsJsonAsync("/elsa/api/activity-executions/report", new
        {
            workflowInstanceId = instanceId,
            activityNodeIds = new[] { "Workflow1:fc:write1", "Workflow1:fc:delay1" },
        }));
        var stats = report["stats"]!.AsArray().ToDictionary(s => s!["activityId"]!.GetValue<string>());
        Assert.Equal(1, stats["write1"]!["completedCount"]!.GetValue<int>());
        Assert.True(stats["delay1"]!["isBlocked"]!.GetValue<bool>());
        Assert.Equal(1, stats["delay1"]!["uncompletedCount"]!.GetValue<int>());

        var journal = await Ok(await host.Client.PostAsJsonAsync($"/elsa/api/workflow-instances/{instanceId}/journal?skip=0&take=110",
            new { filter = new { activityNodeIds = new[] { "Workflow1:fc:write1", "Workflow1:fc:delay1" }, excludedActivityTypes = new[] { "Elsa.Workflow", "Elsa.Flowchart" } } }));
        Assert.True(journal["totalCount"]!.GetValue<int>() >= 3);
    }
}
