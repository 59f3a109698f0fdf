using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14 item 3: every Elsa workflow-instance answer goes through one redaction. A CTI course with a citizen,
/// a worker and an activity plan is read through every instance endpoint Studio uses, as coordinator and as
/// manager; the raw JSON never carries the citizen id, the alias, the worker's name or the plan's text.
/// </summary>
public sealed class ElsaInstanceRedactionTests(ElsaInstanceRedactionTests.HostFixture fixture) : IClassFixture<ElsaInstanceRedactionTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    [Theory]
    [InlineData(ExitRoles.Coordinator)]
    [InlineData(ExitRoles.Manager)]
    public async Task EveryInstanceEndpoint_CarriesNoCitizenText(string role)
    {
        var worker = TestApiKeys.UserNameFor(ExitRoles.Worker);
        var alias = "Hemmelig-" + Guid.NewGuid().ToString("N")[..8];
        var planText = "Søg boligstøtte hos " + Guid.NewGuid().ToString("N")[..8];
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await (await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" })).Content.ReadFromJsonAsync<JsonObject>();
        var courseId = (string)course!["courseId"]!;
        var instanceId = (string)course["instanceId"]!;

        // The worker moves on to phase 1 and writes the activity plan: focus areas and an activity in her words.
        var workerClient = fixture.Host.CreateClientAs(ExitRoles.Worker);
        Assert.True((await workerClient.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" })).IsSuccessStatusCode);
        var tasks = await workerClient.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}&status=Open&pageSize=100");
        var plan = tasks!["items"]!.AsArray().Single(t => (string?)t!["kind"] == "cti.activity-plan.draft")!;
        var completed = await workerClient.PostAsJsonAsync($"/api/tasks/{(string)plan["id"]!}/complete", new
        {
            outcome = "Done",
            data = new { focusAreas = new[] { "Housing", "MentalHealth" }, activities = new[] { new { text = planText, focusArea = "Housing" } } },
        });
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
        var timeline = await workerClient.GetStringAsync($"/api/courses/{courseId}/timeline");
        Assert.Contains(planText, timeline); // the plan is in the course: the test would see it if it leaked

        var client = fixture.Host.CreateClientAs(role);
        var answers = new StringBuilder();
        async Task<string> Read(Task<HttpResponseMessage> call)
        {
            var response = await call;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            answers.AppendLine(body);
            return body;
        }

        await Read(client.GetAsync($"/elsa/api/workflow-instances/{instanceId}"));
        var journal = JsonNode.Parse(await Read(client.PostAsJsonAsync($"/elsa/api/workflow-instances/{instanceId}/journal?skip=0&take=1000", new { })))!;
        Assert.True(journal["items"]!.AsArray().Count > 5, "the journal has the course's activities");
        await Read(client.GetAsync($"/elsa/api/workflow-instances/{instanceId}/variables"));
        await Read(client.GetAsync($"/elsa/api/workflow-instances/{instanceId}/execution-state"));
        await Read(client.PostAsJsonAsync("/elsa/api/workflow-instances", new { correlationId = courseId }));
        await Read(client.PostAsJsonAsync("/elsa/api/activity-executions/report", new { workflowInstanceId = instanceId }));
        await Read(client.GetAsync($"/elsa/api/activity-execution-summaries/list?WorkflowInstanceId={instanceId}"));
        var executions = JsonNode.Parse(await Read(client.GetAsync($"/elsa/api/activity-executions/list?WorkflowInstanceId={instanceId}")))!;
        foreach (var record in executions["items"]!.AsArray())
            await Read(client.GetAsync($"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString((string)record!["id"]!)}"));

        var all = answers.ToString();
        Assert.Contains(instanceId, all); // it did read the course's instance
        foreach (var secret in new[] { citizenId, alias, worker, planText, "Housing", "MentalHealth" })
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stackTrace", all, StringComparison.OrdinalIgnoreCase);
    }
}
