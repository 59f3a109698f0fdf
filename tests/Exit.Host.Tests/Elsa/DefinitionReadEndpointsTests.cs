using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Definitions;
using Xunit;

namespace Exit.Host.Tests.Elsa;

public sealed class DefinitionReadEndpointsTests
{
    private static async Task<ElsaApiHost> StartWithVersions(bool publishedV1 = true)
    {
        var host = await ElsaApiHost.StartAsync();
        var model = Seed.Wf1Model();
        var other = Seed.Wf1Model();
        other["name"] = "Alpha";
        await host.Definitions.SaveAsync(
        [
            Seed.Version(model, "wf1-v1", "wf1", 1, isLatest: false, isPublished: publishedV1),
            Seed.Version(model, "wf1-v2", "wf1", 2, isLatest: true, isPublished: false),
            Seed.Version(other, "wf2-v1", "wf2", 1, isLatest: true, isPublished: true),
        ], default);
        return host;
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task ByDefinitionId_Latest_ReturnsNormalisedDefinitionWithLinks()
    {
        await using var host = await StartWithVersions();
        var def = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Latest"));
        JsonContract.AssertWorkflowDefinition(def);
        Assert.Equal("wf1-v2", def["id"]!.GetValue<string>());
        Assert.Equal(2, def["version"]!.GetValue<int>());

        var published = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Published"));
        Assert.Equal("wf1-v1", published["id"]!.GetValue<string>());
        Assert.False(published["isLatest"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/elsa/api/workflow-definitions/by-definition-id/nope")).StatusCode);
        var bad = await host.Client.GetAsync("/elsa/api/workflow-definitions/by-definition-id/wf1?versionOptions=Sometimes");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["versionOptions"]);
    }

    [Fact]
    public async Task ById_RootWithoutNodeIdsOrCollections_IsNormalised()
    {
        await using var host = await ElsaApiHost.StartAsync();
        var model = new JsonObject
        {
            ["name"] = "Bare", ["variables"] = null, ["options"] = null,
            ["root"] = new JsonObject { ["id"] = "fc", ["type"] = "Elsa.Flowchart", ["version"] = 1, ["activities"] = new JsonArray(new JsonObject { ["id"] = "a", ["type"] = "Elsa.End" }) },
        };
        await host.Definitions.SaveAsync([Seed.Version(model, "bare-v1", "bare", 1, true, false)], default);
        var def = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/by-id/bare-v1"));
        JsonContract.AssertWorkflowDefinition(def);
        Assert.Equal("Workflow1:fc", def["root"]!["nodeId"]!.GetValue<string>());
        Assert.Equal("Workflow1:fc:a", def["root"]!["activities"]![0]!["nodeId"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiltersOrdersPagesAndCarriesBulkPublishLink()
    {
        await using var host = await StartWithVersions();
        var latest = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions?versionOptions=Latest&Page=0&PageSize=10&SearchTerm=&IsSystem=False&OrderDirection=Ascending"));
        JsonContract.AssertCamelCase(latest);
        Assert.Equal(2, latest["totalCount"]!.GetValue<int>());
        Assert.Equal(["Alpha", "Nightly report"], latest["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Contains(latest["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "bulk-publish");
        Assert.All(latest["items"]!.AsArray(), i => Assert.Contains(i!["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish"));

        var history = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions?versionOptions=AllVersions&Page=0&PageSize=10&DefinitionIds=wf1&OrderBy=Version&OrderDirection=Descending"));
        Assert.Equal([2, 1], history["items"]!.AsArray().Select(i => i!["version"]!.GetValue<int>()));

        // The instance list looks rows up by version id with an empty versionOptions: any version.
        var byIds = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions?versionOptions=&Ids=wf1-v1&Ids=wf2-v1"));
        Assert.Equal(["wf2-v1", "wf1-v1"], byIds["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        var paged = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions?versionOptions=AllVersions&Page=1&PageSize=2"));
        Assert.Equal(3, paged["totalCount"]!.GetValue<int>());
        Assert.Single(paged["items"]!.AsArray());

        var system = await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions?IsSystem=True"));
        Assert.Empty(system["items"]!.AsArray());
    }

    [Fact]
    public async Task IsNameUnique_IgnoresTheDefinitionItself()
    {
        await using var host = await StartWithVersions();
        Assert.False((await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/validation/is-name-unique?name=nightly%20report")))["isUnique"]!.GetValue<bool>());
        Assert.True((await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/validation/is-name-unique?name=Nightly%20report&definitionId=wf1")))["isUnique"]!.GetValue<bool>());
        Assert.True((await Json(await host.Client.GetAsync("/elsa/api/workflow-definitions/validation/is-name-unique?name=Workflow%201")))["isUnique"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Export_WritesSchemaFirstAndNamesTheFile()
    {
        await using var host = await StartWithVersions();
        var response = await host.Client.GetAsync("/elsa/api/workflow-definitions/wf1/export?versionOptions=1&includeConsumingWorkflows=False");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("workflow-definition-nightly-report-wf1-wf1-v1.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        var file = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("$schema", file.First().Key);
        Assert.Equal(WorkflowDefinitionJson.SchemaUrl, file["$schema"]!.GetValue<string>());
        Assert.False(file.ContainsKey("links"));
        Assert.Equal(1, file["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Execute_PublishedDefinition_ReturnsInstanceIdHeaderAndBody()
    {
        await using var host = await StartWithVersions();
        var response = await host.Client.PostAsJsonAsync("/elsa/api/workflow-definitions/wf2/execute",
            new { correlationId = (string?)null, triggerActivityId = (string?)null, versionOptions = "Latest", input = (object?)null });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inst-1", Assert.Single(response.Headers.GetValues(ExecuteDefinition.InstanceIdHeader)));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("inst-1", body["workflowInstanceId"]!.GetValue<string>());
        Assert.Equal("Suspended", body["subStatus"]!.GetValue<string>());
        Assert.Equal("wf2", host.Runtime.Starts.Single().DefinitionId);
    }

    [Fact]
    public async Task Execute_WithoutPublishedVersion_SaysCannotStart()
    {
        await using var host = await StartWithVersions(publishedV1: false);
        var response = await host.Client.PostAsJsonAsync("/elsa/api/workflow-definitions/wf1/execute", new { versionOptions = "Latest" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues(ExecuteDefinition.CannotStartHeader)));
        Assert.Contains("no published version", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());

        var missing = await host.Client.PostAsJsonAsync("/elsa/api/workflow-definitions/nope/execute", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("true", Assert.Single(missing.Headers.GetValues(ExecuteDefinition.CannotStartHeader)));
        Assert.Empty(host.Runtime.Starts);
    }
}
