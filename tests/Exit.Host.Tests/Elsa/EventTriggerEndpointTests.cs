using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;

namespace Exit.Host.Tests.Elsa;

/// <summary>
/// POST /elsa/api/events/{eventName}/trigger through the real Host: it resumes the instance waiting for the event with
/// that correlation id (and no other), and starts the published workflows whose trigger is the event.
/// </summary>
public sealed class EventTriggerEndpointTests : IDisposable
{
    private readonly ExitHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    private static string Definition(string definitionId, bool trigger) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start" },
              { "id": "wait", "type": "Elsa.Event", "customProperties": { "canStartWorkflow": {{(trigger ? "true" : "false")}} },
                "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "intake-done" } } },
              { "id": "say", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Literal", "value": "after the event" } } }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
              { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "say", "port": "In" } } ] }
        }
        """;

    [Fact]
    public async Task Trigger_ResumesTheWaitingInstanceOfThatCorrelation_AndStartsTriggeredWorkflows()
    {
        var coordinator = _host.CreateClientAs(ExitRoles.Coordinator);
        foreach (var (id, trigger) in new[] { ("waits-for-intake", false), ("starts-on-intake", true) })
        {
            var import = await coordinator.PostAsync("/elsa/api/workflow-definitions/import", new StringContent(Definition(id, trigger), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsJsonAsync($"/elsa/api/workflow-definitions/{id}/publish", new { })).StatusCode);
        }

        var mine = await ExecuteAsync(coordinator, "waits-for-intake", "case-a");
        var other = await ExecuteAsync(coordinator, "waits-for-intake", "case-b");

        var response = await coordinator.PostAsJsonAsync("/elsa/api/events/intake-done/trigger", new { correlationId = "case-a", payload = new { by = "test" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<JsonObject>())!["instances"]!.AsArray()
            .ToDictionary(i => (string)i!["workflowInstanceId"]!, i => (string)i!["status"]!);
        Assert.Equal(2, run.Count);
        Assert.Equal("Finished", run[mine]);
        Assert.DoesNotContain(other, run.Keys);
        Assert.Equal("Running", await StatusAsync(coordinator, other));
        var started = Assert.Single(run.Keys, k => k != mine);
        var instance = await coordinator.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{started}");
        Assert.Equal("starts-on-intake", (string?)instance!["definitionId"]);
        Assert.Equal("case-a", (string?)instance["correlationId"]);
    }

    [Fact]
    public async Task Trigger_IsForCoordinators_NotForWorkersOrManagers()
    {
        foreach (var role in new[] { ExitRoles.Worker, ExitRoles.Manager })
        {
            var response = await _host.CreateClientAs(role).PostAsJsonAsync("/elsa/api/events/intake-done/trigger", new { correlationId = "x" });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static async Task<string> ExecuteAsync(HttpClient client, string definitionId, string correlationId)
    {
        var run = await client.PostAsJsonAsync($"/elsa/api/workflow-definitions/{definitionId}/execute", new { correlationId });
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        return run.Headers.GetValues("x-elsa-workflow-instance-id").Single();
    }

    private static async Task<string?> StatusAsync(HttpClient client, string instanceId) =>
        (string?)(await client.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}"))!["status"];
}
