using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Definitions;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Elsa;

/// <summary>
/// Replays every request the real Elsa Studio 3.8.2 bundle sent in one session (observed-requests.jsonl:
/// editor load, auto-saves, publish, export, run, create, instance list and viewer) against our endpoints, in
/// order, over in-memory stores seeded with what the session started from (definition wf1 / version wf1-v1,
/// instance inst1). Each answer must keep the contract Studio depends on (CONTRACT §2, §5, §7).
/// </summary>
public sealed class StudioContractReplayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replay_EveryObservedStudioRequest_KeepsTheContract()
    {
        await using var host = await ElsaApiHost.StartAsync();
        await host.Definitions.SaveAsync([Seed.Version(Seed.Wf1Model(), "wf1-v1", "wf1", 1, isLatest: true, isPublished: false)], default);
        Seed.Inst1(host.Instances);

        var requests = Seed.ObservedRequests();
        Assert.True(requests.Count > 80, "the log should hold the whole session");
        foreach (var logged in requests)
        {
            var method = logged["method"]!.GetValue<string>();
            var path = logged["path"]!.GetValue<string>();
            var query = logged["query"]?.GetValue<string>() ?? "";
            // Activity-execution ids are ours to choose (Studio takes them from the list); ours name the instance.
            if (path.EndsWith("/activity-executions/by-id", StringComparison.Ordinal) && query == "?id=ae2") query = "?id=inst1.ae2";

            using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
            if (logged["auth"]?.GetValue<string>() is { } auth) request.Headers.Authorization = AuthenticationHeaderValue.Parse(auth);
            if (logged["body"]?.GetValue<string>() is { } body) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var what = $"#{logged["seq"]} {method} {path}{query}";
            output.WriteLine($"{what} → {(int)response.StatusCode}");

            Assert.True((int)response.StatusCode == logged["status"]!.GetValue<int>(), $"{what} answered {(int)response.StatusCode}: {text}");
            var json = JsonNode.Parse(text);
            JsonContract.AssertCamelCase(json);
            await Check(host, path, query, response, json!);
        }
    }

    private static async Task Check(ElsaApiHost host, string path, string query, HttpResponseMessage response, JsonNode json)
    {
        var route = path["/elsa/api".Length..];
        switch (route)
        {
            case "/descriptors/activities":
            {
                var items = json["items"]!.AsArray();
                Assert.Equal(items.Count, json["count"]!.GetValue<int>());
                var known = items.Select(d => (d!["typeName"]!.GetValue<string>(), d["version"]!.GetValue<int>())).ToHashSet();
                Assert.Contains(("Elsa.Flowchart", 1), known);
                foreach (var v in (await host.Definitions.ListAsync(new(), default)).Items)
                    foreach (var t in JsonContract.ActivityTypes(v.Json["root"]!.AsObject()))
                        Assert.True(known.Contains(t), $"No descriptor for stored {t} (Studio would empty the canvas).");
                foreach (var d in items)
                {
                    Assert.IsType<JsonArray>(d!["inputs"]);
                    Assert.IsType<JsonArray>(d["outputs"]);
                    Assert.IsType<JsonArray>(d["ports"]);
                    Assert.IsType<JsonObject>(d["customProperties"]);
                    Assert.IsType<JsonObject>(d["constructionProperties"]);
                    Assert.All(d["inputs"]!.AsArray(), i => Assert.True(char.IsUpper(i!["name"]!.GetValue<string>()[0]), "input names are PascalCase"));
                }
                break;
            }
            case "/descriptors/expression-descriptors":
                Assert.Contains(json["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "Literal");
                break;
            case "/workflow-definitions" when response.RequestMessage!.Method == HttpMethod.Post:
                JsonContract.AssertWorkflowDefinition(json["workflowDefinition"]!.AsObject());
                Assert.NotNull(json["alreadyPublished"]);
                Assert.NotNull(json["consumingWorkflowCount"]);
                break;
            case "/workflow-definitions":
            {
                Assert.IsType<JsonArray>(json["items"]);
                Assert.NotNull(json["totalCount"]);
                Assert.Contains(json["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "bulk-publish");
                Assert.All(json["items"]!.AsArray(), i => Assert.Contains(i!["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish"));
                if (query.Contains("Ids=wf1-v1")) Assert.Contains(json["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == "wf1-v1");
                break;
            }
            case var r when r.StartsWith("/workflow-definitions/by-definition-id/", StringComparison.Ordinal):
                JsonContract.AssertWorkflowDefinition(json.AsObject());
                break;
            case var r when r.StartsWith("/workflow-definitions/by-id/", StringComparison.Ordinal):
                JsonContract.AssertWorkflowDefinition(json.AsObject(), expectLatest: false);
                break;
            case var r when r.EndsWith("/export", StringComparison.Ordinal):
                Assert.Equal("$schema", json.AsObject().First().Key);
                Assert.Matches(@"^workflow-definition-nightly-report-wf1-.+\.json$", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
                break;
            case var r when r.EndsWith("/execute", StringComparison.Ordinal):
                Assert.False(string.IsNullOrEmpty(response.Headers.GetValues(ExecuteDefinition.InstanceIdHeader).Single()));
                Assert.False(response.Headers.Contains(ExecuteDefinition.CannotStartHeader));
                break;
            case "/workflow-definitions/validation/is-name-unique":
                Assert.True(json["isUnique"]!.GetValue<bool>());
                break;
            case "/workflow-instances":
                Assert.Single(json["items"]!.AsArray());
                break;
            case "/activity-executions/report":
                Assert.Equal(4, json["stats"]!.AsArray().Count);
                Assert.True(json["stats"]!.AsArray().Single(s => s!["activityId"]!.GetValue<string>() == "delay1")!["isBlocked"]!.GetValue<bool>());
                break;
            case "/activity-executions/by-id":
                Assert.Equal("delay1", json["activityId"]!.GetValue<string>());
                break;
            case var r when r.EndsWith("/variables", StringComparison.Ordinal) || r.EndsWith("/list", StringComparison.Ordinal)
                            || r.StartsWith("/descriptors/", StringComparison.Ordinal) || r == "/features/installed":
                Assert.IsType<JsonArray>(json["items"]);
                break;
        }
    }
}
