using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>
/// The CTI worker's meeting note is a municipal case note: read by its author, the supervisors and the worker who took
/// the course over (on the task page, audited with the purpose "continuity"); a manager and a coordinator see that the
/// meeting took place and when, never the note. Through the task API and through the task page.
/// </summary>
public sealed class MeetingNoteConfidentialityTests(MeetingNoteScenario scenario) : IClassFixture<MeetingNoteScenario>
{
    private string Api => $"/api/tasks/{scenario.MeetingTaskId}";
    private string Page => $"/worker/tasks/{scenario.MeetingTaskId}?lang=en";

    [Fact]
    public async Task Author_ReadsTheirNote_InTheApiAndOnThePage()
    {
        var author = scenario.Host.CreateClientAs(ExitRoles.Worker);

        var task = await author.GetFromJsonAsync<JsonObject>(Api);
        var page = WebUtility.HtmlDecode(await author.GetStringAsync(Page));

        Assert.Equal(MeetingNoteScenario.Note, (string?)task!["data"]!["note"]);
        Assert.Equal(MeetingNoteScenario.Place, (string?)task["data"]!["place"]);
        Assert.Contains(MeetingNoteScenario.Note, page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-note-withheld", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_ReadsTheNote_ButCannotCompleteOrSeeTheCitizen()
    {
        var supervisor = scenario.Host.CreateClientAs(ExitRoles.Supervisor);

        var task = await supervisor.GetFromJsonAsync<JsonObject>(Api);
        var page = await supervisor.GetAsync(Page);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.Equal(MeetingNoteScenario.Note, (string?)task!["data"]!["note"]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(MeetingNoteScenario.Note, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Maja", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"outcome\"", html, StringComparison.Ordinal);
        using var scope = scenario.Host.Services.CreateScope();
        var purposes = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.ResourceId == scenario.MeetingTaskId && e.UserName == TestApiKeys.UserNameFor(ExitRoles.Supervisor) && e.Purpose != null)
            .Select(e => e.Purpose).ToListAsync();
        Assert.Equal(["supervision"], purposes);
    }

    [Fact]
    public async Task Supervisor_CannotCompleteAWorkersOpenMeeting()
    {
        var open = await scenario.Host.CreateClientAs(ExitRoles.Manager)
            .GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={scenario.CourseId}&status=Open");
        var meeting = (string)open!["items"]!.AsArray().First(t => (string?)t!["kind"] == "cti.contact-meeting.first")!["id"]!;
        var supervisor = scenario.Host.CreateClientAs(ExitRoles.Supervisor);

        var complete = await supervisor.PostAsJsonAsync($"/api/tasks/{meeting}/complete", new { outcome = "Held", data = new { note = "x" } });

        Assert.Equal(HttpStatusCode.Forbidden, complete.StatusCode);
        var after = await scenario.Host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{meeting}");
        Assert.Equal("Open", (string?)after!["status"]);
    }

    [Fact]
    public async Task Manager_SeesThatAndWhenTheMeetingWasHeld_NeverTheNote()
    {
        var manager = scenario.Host.CreateClientAs(ExitRoles.Manager);

        var task = await manager.GetFromJsonAsync<JsonObject>(Api);
        var page = await manager.GetAsync(Page);

        Assert.Equal("Completed", (string?)task!["status"]);
        Assert.Equal("Held", (string?)task["outcome"]);
        Assert.NotNull(task["completedAt"]);
        Assert.Equal(MeetingNoteScenario.HeldOn, (string?)task["data"]!["heldOn"]);
        AssertNothingWritten(task.ToJsonString());
        // The task pages are for casework: a manager is refused before any task data is read.
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        AssertNothingWritten(await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Coordinator_GetsNoTaskData()
    {
        var coordinator = scenario.Host.CreateClientAs(ExitRoles.Coordinator);

        var api = await coordinator.GetAsync(Api);
        var page = await coordinator.GetAsync(Page);

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        AssertNothingWritten(await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        AssertNothingWritten(await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WorkerWhoTookTheCourseOver_ReadsThePreviousWorkersNote_ForContinuity_AndTheReadIsAudited()
    {
        var page = await scenario.WorkerBClient.GetAsync(Page);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Meeting held", html, StringComparison.Ordinal);
        Assert.Contains(MeetingNoteScenario.Note, html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-note-withheld", html, StringComparison.Ordinal);
        using var scope = scenario.Host.Services.CreateScope();
        var audit = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.Contains(await audit.AuditEntries.AsNoTracking().Where(e => e.ResourceId == scenario.MeetingTaskId).ToListAsync(),
            e => e.Purpose == "continuity" && e.UserName == MeetingNoteScenario.WorkerB);
        // The task API lists tasks by assignee: the completed meeting stays the previous worker's there.
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.WorkerBClient.GetAsync(Api)).StatusCode);
    }

    [Fact]
    public async Task WorkerWhoTookTheCourseOver_StillWorksOnTheCoursesOpenTasks()
    {
        var open = await scenario.Host.CreateClientAs(ExitRoles.Manager)
            .GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={scenario.CourseId}&status=Open&assignee={MeetingNoteScenario.WorkerB}");
        var next = (string)open!["items"]!.AsArray().First()!["id"]!;

        var page = await scenario.WorkerBClient.GetStringAsync($"/worker/tasks/{next}?lang=en");

        Assert.Contains("name=\"outcome\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-note-withheld", page, StringComparison.Ordinal);
    }

    /// <summary>Decoded first: Razor encodes "æ" and "ø", so a raw page never contains the note's text even when it shows it.</summary>
    private static void AssertNothingWritten(string body)
    {
        body = WebUtility.HtmlDecode(body);
        Assert.DoesNotContain(MeetingNoteScenario.Note, body, StringComparison.Ordinal);
        Assert.DoesNotContain(MeetingNoteScenario.Place, body, StringComparison.Ordinal);
        Assert.DoesNotContain("torsdag kl. 10", body, StringComparison.Ordinal);
    }
}
