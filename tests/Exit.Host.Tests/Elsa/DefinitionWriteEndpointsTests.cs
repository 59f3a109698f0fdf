using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using Xunit;

namespace Exit.Host.Tests.Elsa;

public sealed class DefinitionWriteEndpointsTests
{
    private const string Base = "/elsa/api/workflow-definitions";

    private static async Task<JsonObject> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.IsType<JsonObject>(problem["errors"]);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        return problem;
    }

    private static Task<HttpResponseMessage> Save(ElsaApiHost host, JsonObject model, bool? publish) =>
        host.Client.PostAsJsonAsync(Base, new JsonObject { ["model"] = model.DeepClone(), ["publish"] = publish });

    private static int ActivityCount(JsonObject definition) => definition["root"]!["activities"]!.AsArray().Count;

    [Fact]
    public async Task Save_CreateDialogModelWithNulls_AssignsIdsAndNormalises()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var create = Seed.ObservedRequests().Single(r => r["seq"]!.GetValue<int>() == 655);
        var response = await host.Client.PostAsync(Base, new StringContent(create["body"]!.GetValue<string>(), Encoding.UTF8, "application/json"));
        var saved = await Ok(response);
        JsonContract.AssertCamelCase(saved);
        Assert.False(saved["alreadyPublished"]!.GetValue<bool>());
        Assert.Equal(0, saved["consumingWorkflowCount"]!.GetValue<int>());
        var definition = saved["workflowDefinition"]!.AsObject();
        JsonContract.AssertWorkflowDefinition(definition);
        Assert.False(string.IsNullOrEmpty(definition["definitionId"]!.GetValue<string>()));
        Assert.Equal("Workflow1:1918706b2128f79e", definition["root"]!["nodeId"]!.GetValue<string>());
        Assert.False(definition["isPublished"]!.GetValue<bool>());

        var fetched = await Ok(await host.Client.GetAsync($"{Base}/by-definition-id/{definition["definitionId"]}?versionOptions=Latest"));
        JsonContract.AssertWorkflowDefinition(fetched);
    }

    [Fact]
    public async Task Save_ThatEmptiesStoredGraph_IsRefusedAndStoredVersionUnchanged()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        await Ok(await Save(host, model, publish: false));

        var emptied = Seed.Wf1Model();
        emptied["root"]!["activities"] = new JsonArray();
        emptied["root"]!["connections"] = new JsonArray();
        var problem = await Problem(await Save(host, emptied, publish: false));
        Assert.Contains("no activities", problem["detail"]!.GetValue<string>());
        Assert.Contains("SaveRefused", problem["problems"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(3, problem["lostActivityIds"]!.AsArray().Count);

        var stored = await Ok(await host.Client.GetAsync($"{Base}/by-definition-id/wf1?versionOptions=Latest"));
        Assert.Equal(3, ActivityCount(stored));
        Assert.Equal(["timer1", "delay1", "report1"], stored["root"]!["activities"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Save_UnknownActivityType_GetsPlaceholderDescriptorAndCannotBeDroppedSilently()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        model["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "legacy1", ["type"] = "Legacy.Approve", ["version"] = 2 });
        await Ok(await Save(host, model, publish: false));

        // The save refreshed the unknown-type scan: Studio's re-fetch after the save sees the placeholder.
        var descriptors = await Ok(await host.Client.GetAsync("/elsa/api/descriptors/activities?Refresh=True"));
        Assert.Contains(descriptors["items"]!.AsArray(), d => d!["typeName"]!.GetValue<string>() == "Legacy.Approve" && d["version"]!.GetValue<int>() == 2);

        var without = Seed.Wf1Model();
        var problem = await Problem(await Save(host, without, publish: false));
        Assert.Contains("Legacy.Approve", problem["detail"]!.GetValue<string>());
        Assert.Equal(4, ActivityCount(await Ok(await host.Client.GetAsync($"{Base}/by-definition-id/wf1"))));
    }

    [Fact]
    public async Task Save_PublishInvalidDefinition_ListsEveryProblemAndPublishesNothing()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        var activities = model["root"]!["activities"]!.AsArray();
        activities[1]!["timeSpan"] = new JsonObject { ["typeName"] = "TimeSpan", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "soon" } };
        activities.Add(new JsonObject { ["id"] = "delay2", ["type"] = "Elsa.Delay", ["version"] = 1 });

        var problem = await Problem(await Save(host, model, publish: true));
        var problems = problem["problems"]!.AsArray();
        Assert.True(problems.Count >= 2, problem.ToJsonString());
        Assert.Contains(problems, p => p!["activityId"]?.GetValue<string>() == "delay1" && p["inputName"]?.GetValue<string>() == "timeSpan");
        Assert.Contains(problems, p => p!["activityId"]?.GetValue<string>() == "delay2" && p["inputName"]?.GetValue<string>() == "timeSpan");
        Assert.NotNull(problem["errors"]!["activities.delay1.timeSpan"]);
        Assert.NotNull(problem["errors"]!["activities.delay2.timeSpan"]);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Base}/by-definition-id/wf1?versionOptions=Published")).StatusCode);
        Assert.Empty((await host.Definitions.ListAsync(new DefinitionFilter(), default)).Items);

        // As a draft it may be saved; the problems come back with it.
        var draft = await Ok(await Save(host, model, publish: false));
        Assert.True(draft["problems"]!.AsArray().Count >= 2);
        Assert.False(draft["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        await Problem(await host.Client.PostAsync($"{Base}/wf1/publish", JsonContent.Create(new { })));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Base}/by-definition-id/wf1?versionOptions=Published")).StatusCode);
    }

    [Fact]
    public async Task PublishRetractDelete_FollowTheVersioningRules()
    {
        await using var host = await ElsaApiHost.StartAsync();
        await Ok(await Save(host, Seed.Wf1Model(), publish: false));
        var published = await Ok(await host.Client.PostAsync($"{Base}/wf1/publish", JsonContent.Create(new { })));
        JsonContract.AssertWorkflowDefinition(published);
        Assert.True(published["isPublished"]!.GetValue<bool>());

        var again = await Ok(await Save(host, Seed.Wf1Model(), publish: true));
        Assert.True(again["alreadyPublished"]!.GetValue<bool>());

        var retracted = await Ok(await host.Client.PostAsync($"{Base}/wf1/retract", JsonContent.Create(new { })));
        Assert.False(retracted["isPublished"]!.GetValue<bool>());
        await Problem(await host.Client.PostAsync($"{Base}/wf1/retract", JsonContent.Create(new { })));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync($"{Base}/nope/publish", JsonContent.Create(new { }))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"{Base}/wf1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync($"{Base}/wf1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Base}/by-definition-id/wf1")).StatusCode);
    }

    [Fact]
    public async Task Revert_SavesTheOldContentAsTheLatestDraft()
    {
        await using var host = await ElsaApiHost.StartAsync();
        await Ok(await Save(host, Seed.Wf1Model(), publish: true));
        var edited = Seed.Wf1Model();
        edited["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "end1", ["type"] = "Elsa.End", ["version"] = 1 });
        var v2 = await Ok(await Save(host, edited, publish: true));
        Assert.Equal(2, v2["workflowDefinition"]!["version"]!.GetValue<int>());

        var reverted = await Ok(await host.Client.PostAsync($"{Base}/wf1/revert/1", null));
        JsonContract.AssertWorkflowDefinition(reverted);
        Assert.Equal(3, reverted["version"]!.GetValue<int>());
        Assert.False(reverted["isPublished"]!.GetValue<bool>());
        Assert.Equal(3, ActivityCount(reverted));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync($"{Base}/wf1/revert/9", null)).StatusCode);
    }

    [Fact]
    public async Task Import_ThenExport_RoundTripsIdentically()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var file = await File.ReadAllTextAsync(Seed.FixturePath("nightly-report.json"));
        var imported = await Ok(await host.Client.PostAsync($"{Base}/import", new StringContent(file, Encoding.UTF8, "application/json")));
        JsonContract.AssertWorkflowDefinition(imported);
        Assert.Equal("wf1", imported["definitionId"]!.GetValue<string>());
        Assert.True(imported["isPublished"]!.GetValue<bool>());

        var export1 = await host.Client.GetAsync($"{Base}/wf1/export?versionOptions=Published");
        var bytes1 = await export1.Content.ReadAsByteArrayAsync();
        var exported = JsonNode.Parse(bytes1)!.AsObject();
        Assert.Equal("$schema", exported.First().Key);
        Assert.Equal($"workflow-definition-nightly-report-wf1-{imported["id"]}.json", export1.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var original = JsonNode.Parse(file)!.AsObject();
        foreach (var key in new[] { "definitionId", "name", "description", "variables", "inputs", "outputs", "outcomes" })
            Assert.True(JsonNode.DeepEquals(original[key], exported[key]), $"'{key}' changed on the way through");
        Assert.Equal(
            original["root"]!["activities"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["type"]!.GetValue<string>(), Seed.Compact(a["metadata"]!))),
            exported["root"]!["activities"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["type"]!.GetValue<string>(), Seed.Compact(a["metadata"]!))));
        Assert.True(JsonNode.DeepEquals(original["root"]!["connections"], exported["root"]!["connections"]));

        // The exported file imported again is the same workflow: nothing changes and the next export is byte-identical.
        var reimport = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes1);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        reimport.Add(part, "file", export1.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var second = await Ok(await host.Client.PostAsync($"{Base}/import", reimport));
        Assert.Equal(imported["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var bytes2 = await (await host.Client.GetAsync($"{Base}/wf1/export?versionOptions=Published")).Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetString(bytes1), Encoding.UTF8.GetString(bytes2));
    }

    [Fact]
    public async Task Import_InvalidJson_NamesLineAndPosition()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var problem = await Problem(await host.Client.PostAsync($"{Base}/import", new StringContent("{\n  \"name\": \"x\",\n  \"root\": { oops }\n}", Encoding.UTF8, "application/json")));
        Assert.Equal(3, problem["lineNumber"]!.GetValue<int>());
        Assert.Contains("line 3", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_ValidationProblems_ListEachWithActivityAndInput()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Seed.FixturePath("nightly-report.json")))!.AsObject();
        file["root"]!["activities"]![0]!["interval"]!["expression"]!["value"] = "every now and then";
        var problem = await Problem(await host.Client.PostAsync($"{Base}/import", new StringContent(file.ToJsonString(), Encoding.UTF8, "application/json")));
        Assert.Contains(problem["problems"]!.AsArray(), p => p!["activityId"]?.GetValue<string>() == "timer1" && p["inputName"]?.GetValue<string>() == "interval");
        Assert.Empty((await host.Definitions.ListAsync(new DefinitionFilter(), default)).Items);
    }

    [Fact]
    public async Task ImportFiles_ImportsEveryFileOrNone()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var good = await File.ReadAllTextAsync(Seed.FixturePath("nightly-report.json"));
        var other = JsonNode.Parse(good)!.AsObject();
        other["definitionId"] = "wf9";
        other["id"] = "wf9-v1";
        other["name"] = "Other";

        var bad = new MultipartFormDataContent
        {
            { new StringContent(good, Encoding.UTF8, "application/json"), "files", "a.json" },
            { new StringContent("{ not json", Encoding.UTF8, "application/json"), "files", "b.json" },
        };
        var problem = await Problem(await host.Client.PostAsync($"{Base}/import-files", bad));
        Assert.Contains("b.json", problem["detail"]!.GetValue<string>());
        Assert.Empty((await host.Definitions.ListAsync(new DefinitionFilter(), default)).Items);

        var both = new MultipartFormDataContent
        {
            { new StringContent(good, Encoding.UTF8, "application/json"), "files", "a.json" },
            { new StringContent(other.ToJsonString(), Encoding.UTF8, "application/json"), "files", "c.json" },
        };
        var result = await Ok(await host.Client.PostAsync($"{Base}/import-files", both));
        Assert.Equal(2, result["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Save_MalformedBody_IsProblemNotEmpty400()
    {
        await using var host = await ElsaApiHost.StartAsync();
        await Problem(await host.Client.PostAsync(Base, new StringContent("{\"model\": ", Encoding.UTF8, "application/json")));
        await Problem(await host.Client.PostAsync(Base, new StringContent("{\"publish\": true}", Encoding.UTF8, "application/json")));
    }
}


public sealed class BulkDefinitionActionsTests
{
    [Fact]
    public async Task BulkPublishRetractDelete_ReportPerDefinition()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var good = Seed.Wf1Model();
        var bad = Seed.Wf1Model();
        bad["definitionId"] = "wf2";
        bad["id"] = "wf2-v1";
        bad["root"]!["activities"]!.AsArray().Add(new JsonObject { ["id"] = "delay2", ["type"] = "Elsa.Delay", ["version"] = 1 });
        foreach (var model in new[] { good, bad })
            Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = false })).StatusCode);

        var publish = (await (await host.Client.PostAsJsonAsync("/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids",
            new { definitionIds = new[] { "wf1", "wf2", "nope" } })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["wf1"], publish["published"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["nope"], publish["notFound"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("wf2", publish["refused"]![0]!["definitionId"]!.GetValue<string>());

        var retract = (await (await host.Client.PostAsJsonAsync("/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids",
            new { definitionIds = new[] { "wf1", "wf2" } })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["wf1"], retract["retracted"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["wf2"], retract["alreadyRetracted"]!.AsArray().Select(x => x!.GetValue<string>()));

        var delete = (await (await host.Client.PostAsJsonAsync("/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id",
            new { definitionIds = new[] { "wf1", "wf2" } })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, delete["deleted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PostAsJsonAsync("/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", new { })).StatusCode);
    }
}
