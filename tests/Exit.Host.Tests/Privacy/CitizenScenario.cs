using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Exit.Host.Tests.Privacy;

/// <summary>A citizen with a course, a task answered and its phases closed, through the real Host's API (the all-roles test key is the worker).</summary>
public static class CitizenScenario
{
    /// <summary>A CPR key for tests only (32 bytes, base64).</summary>
    public const string CprKey = "VGVzdC1vbmx5LWtleS1mb3ItZXhpdC1wcml2YWN5ISE=";

    public static async Task<string> CreateCitizenAsync(HttpClient client, string alias, string? cpr = null)
    {
        var response = await client.PostAsJsonAsync("/api/citizens", new { alias, cpr });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <param name="worker">The course's responsible worker; by default the all-roles test key's user.</param>
    public static async Task<(string CourseId, string InstanceId)> StartCourseAsync(HttpClient client, string citizenId, string? worker = null)
    {
        worker ??= Infrastructure.TestApiKeys.UserNameFor(Infrastructure.TestApiKeys.AllRoles);
        var response = await client.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["courseId"]!, (string)body["instanceId"]!);
    }

    /// <summary>
    /// Completes the contact period's decision task (Afklaring: continue to phase 1) with a note, as a worker writes one:
    /// the note reaches the task's answers, the workflow's state and its journal.
    /// </summary>
    public static async Task AnswerFirstTaskAsync(HttpClient client, string courseId, string note)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}&status=Open");
        var taskId = (string)page!["items"]!.AsArray().First(t => (string?)t!["kind"] == "cti.clarification")!["id"]!;
        var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Continue", data = new { note } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Ends the course with the goal reached: it counts as completed, every open task is cancelled and the workflow
    /// finishes. A course still in its contact period gets its decision (continue) first, since only phases can end early.
    /// </summary>
    public static async Task CloseCourseAsync(HttpClient client, string courseId)
    {
        var timeline = await client.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        if ((string?)timeline!["currentPeriod"] == "ContactPeriod")
        {
            var decided = await client.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" });
            Assert.True(decided.IsSuccessStatusCode, await decided.Content.ReadAsStringAsync());
        }
        var ended = await client.PostAsJsonAsync($"/api/courses/{courseId}/end", new { reason = "GoalReached" });
        Assert.True(ended.IsSuccessStatusCode, await ended.Content.ReadAsStringAsync());
        timeline = await client.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        Assert.Equal("Completed", (string?)timeline!["outcome"]);
    }
}
