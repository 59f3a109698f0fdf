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

    public static async Task<(string CourseId, string InstanceId)> StartCourseAsync(HttpClient client, string citizenId)
    {
        var response = await client.PostAsJsonAsync("/api/courses", new { citizenId, worker = Infrastructure.TestApiKeys.UserNameFor(Infrastructure.TestApiKeys.AllRoles), goal = "Exit" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["courseId"]!, (string)body["instanceId"]!);
    }

    /// <summary>Completes the course's first contact meeting with a note (what a worker writes).</summary>
    public static async Task AnswerFirstTaskAsync(HttpClient client, string courseId, string note)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}&status=Open");
        var taskId = (string)page!["items"]!.AsArray().First(t => (string?)t!["kind"] == "cti.contact-meeting.first")!["id"]!;
        var task = (await client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;
        var outcome = (string)task["allowedOutcomes"]!.AsArray().First()!;
        var response = await client.PostAsJsonAsync($"/api/tasks/{(string)task["id"]!}/complete",
            new { outcome, data = new { heldOn = "2026-03-02", note } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Closes the contact period and the three phases in order: the course is then completed (ended).</summary>
    public static async Task CloseCourseAsync(HttpClient client, string courseId)
    {
        foreach (var period in new[] { "ContactPeriod", "Phase1", "Phase2", "Phase3" })
        {
            var response = await client.PostAsync($"/api/courses/{courseId}/phases/{period}/close", null);
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{period}: {await response.Content.ReadAsStringAsync()}");
        }
        var timeline = await client.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        Assert.Equal("Completed", (string?)timeline!["status"]);
    }
}
