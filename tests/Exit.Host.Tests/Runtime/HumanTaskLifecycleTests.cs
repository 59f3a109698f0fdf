using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Infrastructure;
using Xunit;

namespace Exit.Host.Tests.Runtime;

/// <summary>Human tasks through the real Host, runtime and SQLite store: complete once, resume on the port, cancel with the instance.</summary>
public sealed class HumanTaskLifecycleTests : IClassFixture<HumanTaskLifecycleTests.Host>
{
    private readonly HttpClient _client;

    public HumanTaskLifecycleTests(Host host) => _client = host.Client;

    public sealed class Host : IDisposable
    {
        private readonly ExitHostFactory _factory = new();
        public Host() => Client = _factory.CreateClient();
        public HttpClient Client { get; }
        public void Dispose() => _factory.Dispose();
    }

    [Fact]
    public async Task Complete_TwoConcurrentCompletions_ExactlyOneSucceedsAndTheOtherGets409()
    {
        var correlationId = $"race-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved", data = new { note = "seen" } })));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        // The instance moved on exactly once: it now waits on the day-long delay after "Approved".
        var instance = await WorkflowApi.InstanceAsync(_client, instanceId);
        var bookmark = Assert.Single(instance["workflowState"]!["bookmarks"]!.AsArray());
        Assert.Equal("Elsa.Delay", (string?)bookmark!["name"]);
        var journal = await WorkflowApi.JournalAsync(_client, instanceId);
        Assert.Single(journal, r => (string?)r!["activityId"] == "review1" && (string?)r["eventName"] == "Completed");
        var task = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("Completed", (string?)task!["status"]);
        Assert.Equal("Approved", (string?)task["outcome"]);
    }

    [Fact]
    public async Task Complete_WithOutcomeNotOffered_Answers400AndChangesNothing()
    {
        var correlationId = $"bad-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var response = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Approved", await response.Content.ReadAsStringAsync());
        Assert.Equal(taskId, await OpenTaskIdAsync(correlationId));
        Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(_client, instanceId))["subStatus"]);
    }

    [Fact]
    public async Task CancelInstance_WithOpenTask_CancelsTheTaskAndRemovesTheBookmark()
    {
        var correlationId = $"cancel-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var cancel = await _client.PostAsync($"/elsa/api/cancel/workflow-instances/{instanceId}", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        var instance = await WorkflowApi.InstanceAsync(_client, instanceId);
        Assert.Equal("Cancelled", (string?)instance["subStatus"]);
        Assert.Empty(instance["workflowState"]!["bookmarks"]!.AsArray());
        var task = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("Cancelled", (string?)task!["status"]);
        var late = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Complete_RejectedOutcome_ResumesOnThatPortAndFinishes()
    {
        var correlationId = $"reject-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var response = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Rejected" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WorkflowApi.WaitForSubStatusAsync(_client, instanceId, "Finished");
        var journal = await WorkflowApi.JournalAsync(_client, instanceId);
        Assert.DoesNotContain(journal, r => (string?)r!["activityId"] == "delay1");
    }

    private async Task<string> OpenTaskIdAsync(string correlationId)
    {
        var page = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}&status=Open");
        var task = Assert.Single(page!["items"]!.AsArray());
        return (string)task!["id"]!;
    }
}
