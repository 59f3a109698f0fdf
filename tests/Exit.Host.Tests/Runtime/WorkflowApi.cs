using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Exit.Host.Tests.Runtime;

/// <summary>Small helpers over the public HTTP API, used by the end-to-end runtime tests.</summary>
public static class WorkflowApi
{
    public static async Task ImportAsync(HttpClient client, string definitionJson)
    {
        var response = await client.PostAsync("/elsa/api/workflow-definitions/import",
            new StringContent(definitionJson, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<string> ExecuteAsync(HttpClient client, string definitionId, string? correlationId = null)
    {
        var response = await client.PostAsJsonAsync($"/elsa/api/workflow-definitions/{definitionId}/execute", new { correlationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
    }

    public static async Task<JsonObject> InstanceAsync(HttpClient client, string instanceId) =>
        (await client.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{instanceId}"))!;

    public static async Task<JsonArray> JournalAsync(HttpClient client, string instanceId)
    {
        var response = await client.PostAsJsonAsync($"/elsa/api/workflow-instances/{instanceId}/journal?skip=0&take=1000", new { });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
    }

    /// <summary>Polls (real time, bounded) until the instance reaches the sub-status, and returns it.</summary>
    public static async Task<JsonObject> WaitForSubStatusAsync(HttpClient client, string instanceId, string subStatus, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var instance = await InstanceAsync(client, instanceId);
            if ((string?)instance["subStatus"] == subStatus) return instance;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"instance {instanceId} is {(string?)instance["subStatus"]}, expected {subStatus}");
            await Task.Delay(50);
        }
    }

    public static string Definition(string definitionId, params string[] activitiesAndConnections) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}", "version": 1,
          "root": { "id": "fc", "type": "Elsa.Flowchart", "version": 1, {{string.Join(",", activitiesAndConnections)}} }
        }
        """;
}
