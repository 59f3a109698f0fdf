using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Exit.Host.Tests.Elsa;

public sealed class DescriptorEndpointsTests
{
    private static async Task<JsonObject> GetJson(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        JsonContract.AssertCamelCase(json);
        return json;
    }

    private static JsonObject Descriptor(JsonObject list, string type, int version = 1) =>
        list["items"]!.AsArray().OfType<JsonObject>().Single(d => d["typeName"]!.GetValue<string>() == type && d["version"]!.GetValue<int>() == version);

    [Fact]
    public async Task Activities_FromRegistry_CarryEveryContractField()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var list = await GetJson(host.Client, "/elsa/api/descriptors/activities?Refresh=True");

        Assert.Equal(list["items"]!.AsArray().Count, list["count"]!.GetValue<int>());
        var flowchart = Descriptor(list, "Elsa.Flowchart");
        Assert.True(flowchart["isContainer"]!.GetValue<bool>());
        Assert.False(flowchart["isBrowsable"]!.GetValue<bool>());
        Assert.Equal("Embedded", flowchart["ports"]![0]!["type"]!.GetValue<string>());
        var notFound = Descriptor(list, "Elsa.NotFoundActivity");
        Assert.False(notFound["isBrowsable"]!.GetValue<bool>());

        var report = Descriptor(list, "Acme.SendReport");
        foreach (var key in new[] { "typeName", "namespace", "name", "version", "category", "displayName", "description", "kind", "inputs", "outputs",
                     "ports", "customProperties", "constructionProperties", "isContainer", "isBrowsable", "isStart", "isTerminal" })
            Assert.True(report.ContainsKey(key), $"descriptor lacks '{key}'");
        Assert.Equal("Acme", report["namespace"]!.GetValue<string>());
        Assert.Equal("SendReport", report["name"]!.GetValue<string>());
        Assert.Equal("Action", report["kind"]!.GetValue<string>());
        Assert.Equal(["Done", "Failed"], report["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.All(report["ports"]!.AsArray(), p => Assert.Equal("Flow", p!["type"]!.GetValue<string>()));

        var inputs = report["inputs"]!.AsArray().OfType<JsonObject>().ToDictionary(i => i["name"]!.GetValue<string>());
        foreach (var key in new[] { "name", "typeName", "displayName", "description", "order", "isBrowsable", "isSynthetic", "isWrapped", "uiHint",
                     "category", "defaultValue", "defaultSyntax", "isReadOnly", "isSensitive", "storageDriverType", "uiSpecifications" })
            Assert.True(inputs["Recipient"].ContainsKey(key), $"input lacks '{key}'");
        Assert.True(inputs["Recipient"]["isWrapped"]!.GetValue<bool>());
        Assert.True(inputs["Recipient"]["isBrowsable"]!.GetValue<bool>());
        Assert.False(inputs["Recipient"]["isSynthetic"]!.GetValue<bool>());
        Assert.Equal("dropdown", inputs["Format"]["uiHint"]!.GetValue<string>());
        var items = inputs["Format"]["uiSpecifications"]!["dropdown"]!["selectList"]!["items"]!.AsArray();
        Assert.Equal(["pdf", "csv"], items.Select(i => i!["value"]!.GetValue<string>()));
        Assert.Equal("dropdown", inputs["Layout"]["uiHint"]!.GetValue<string>());
        Assert.Equal(["Pdf", "Csv"], inputs["Layout"]["uiSpecifications"]!["dropdown"]!["selectList"]!["items"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()));
        Assert.Equal("checkbox", inputs["IncludeCharts"]["uiHint"]!.GetValue<string>());
        Assert.Equal("ReportUrl", report["outputs"]![0]!["name"]!.GetValue<string>());

        var timer = Descriptor(list, "Elsa.Timer");
        Assert.Equal("Trigger", timer["kind"]!.GetValue<string>());
        Assert.Equal("00:01:00", timer["inputs"]![0]!["defaultValue"]!.GetValue<string>());
        Assert.Equal(["Left", "Right"], Descriptor(list, "Elsa.FlowFork")["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Empty(Descriptor(list, "Elsa.End")["ports"]!.AsArray());
    }

    [Fact]
    public async Task Activities_UnknownStoredType_GetsVisiblePlaceholderWithStoredPorts()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        var activities = model["root"]!["activities"]!.AsArray();
        activities.Add(new JsonObject
        {
            ["id"] = "legacy1", ["nodeId"] = "Workflow1:flowchart1:legacy1", ["type"] = "Legacy.Approve", ["version"] = 3,
            ["decision"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "yes" } },
        });
        model["root"]!["connections"]!.AsArray().Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "legacy1", ["port"] = "Approved" }, ["target"] = new JsonObject { ["activity"] = "report1", ["port"] = "In" },
        });
        await host.Definitions.SaveAsync([Seed.Version(model, "wf1-v1", "wf1", 1, true, false)], default);

        var list = await GetJson(host.Client, "/elsa/api/descriptors/activities?Refresh=True");
        var placeholder = Descriptor(list, "Legacy.Approve", 3);
        Assert.Equal("Unknown", placeholder["category"]!.GetValue<string>());
        Assert.Equal("Unknown: Legacy.Approve v3", placeholder["displayName"]!.GetValue<string>());
        Assert.False(placeholder["isBrowsable"]!.GetValue<bool>());
        Assert.Equal(["Approved"], placeholder["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("Decision", placeholder["inputs"]![0]!["name"]!.GetValue<string>());

        // Every (type, version) stored has a descriptor, so Studio renders the canvas instead of emptying it.
        var known = list["items"]!.AsArray().Select(d => (d!["typeName"]!.GetValue<string>(), d["version"]!.GetValue<int>())).ToHashSet();
        Assert.All(JsonContract.ActivityTypes(model["root"]!.AsObject()), t => Assert.Contains(t, known));
    }

    [Fact]
    public async Task Activities_StoredNotFoundNodes_ExtendTheNotFoundDescriptorWithTheirPorts()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        model["root"]!["activities"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "nf1", ["type"] = "Elsa.NotFoundActivity", ["version"] = 1,
            ["missingTypeName"] = "Legacy.Approve", ["missingTypeVersion"] = 1, ["originalActivityJson"] = "{}",
        });
        model["root"]!["connections"]!.AsArray().Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "nf1", ["port"] = "Approved" }, ["target"] = new JsonObject { ["activity"] = "report1", ["port"] = "In" },
        });
        await host.Definitions.SaveAsync([Seed.Version(model, "wf1-v1", "wf1", 1, true, false)], default);

        var list = await GetJson(host.Client, "/elsa/api/descriptors/activities");
        var notFound = Assert.Single(list["items"]!.AsArray(), d => d!["typeName"]!.GetValue<string>() == "Elsa.NotFoundActivity")!.AsObject();
        Assert.Equal(["Approved", "Done"], notFound["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order());
        Assert.Equal("MissingTypeName", notFound["inputs"]![0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/elsa/api/descriptors/expression-descriptors", 4)]
    [InlineData("/elsa/api/descriptors/variables", 10)]
    [InlineData("/elsa/api/descriptors/storage-drivers", 1)]
    [InlineData("/elsa/api/descriptors/workflow-activation-strategies", 0)]
    [InlineData("/elsa/api/descriptors/log-persistence-strategies", 0)]
    [InlineData("/elsa/api/descriptors/incident-strategies", 0)]
    [InlineData("/elsa/api/descriptors/commit-strategies/workflows", 0)]
    [InlineData("/elsa/api/descriptors/commit-strategies/activities", 0)]
    [InlineData("/elsa/api/features/installed", 1)]
    public async Task StaticLists_Answer200WithItemsAndCount(string url, int atLeast)
    {
        await using var host = await ElsaApiHost.StartAsync();
        var list = await GetJson(host.Client, url);
        var items = Assert.IsType<JsonArray>(list["items"]);
        Assert.True(items.Count >= atLeast);
        Assert.Equal(items.Count, list["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExpressionDescriptors_IncludeLiteralAndJavaScriptWithMonacoLanguage()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var list = await GetJson(host.Client, "/elsa/api/descriptors/expression-descriptors");
        var byType = list["items"]!.AsArray().ToDictionary(e => e!["type"]!.GetValue<string>());
        Assert.Equal(["Literal", "Object", "JavaScript", "Variable"], byType.Keys);
        Assert.Equal("javascript", byType["JavaScript"]!["properties"]!["MonacoLanguage"]!.GetValue<string>());
        var drivers = await GetJson(host.Client, "/elsa/api/descriptors/storage-drivers");
        Assert.Contains(drivers["items"]!.AsArray(), d => d!["typeName"]!.GetValue<string>() == "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core");
    }

    [Fact]
    public async Task Options_AnswerEmptyItems()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var response = await host.Client.PostAsJsonAsync("/elsa/api/descriptors/activities/Acme.SendReport/options/Format", new { context = new { } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsObject());
    }
}
