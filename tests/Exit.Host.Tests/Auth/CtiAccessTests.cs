using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Auth;

/// <summary>The CTI API's caseload rule through the real Host: workers only their own courses (others 404), managers all.</summary>
public sealed class CtiAccessTests(CtiAccessTests.HostFixture fixture) : IClassFixture<CtiAccessTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public ExitHostFactory Host { get; } = new();
        public void Dispose() => Host.Dispose();
    }

    private static readonly string Worker = TestApiKeys.UserNameFor(ExitRoles.Worker);

    [Fact]
    public async Task Worker_ReadsOwnCourse_AndTheReadIsAuditedWithTheCitizen()
    {
        var (citizenId, courseId) = await StartCourseAsync(Worker);

        var response = await fixture.Host.CreateClientAs(ExitRoles.Worker).GetAsync($"/api/courses/{courseId}/timeline");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync(courseId, AuditAction.Read));
        Assert.Equal((Worker, citizenId, AuditOutcome.Allowed), (entry.UserName, entry.CitizenId, entry.Outcome));
    }

    [Fact]
    public async Task Worker_OtherWorkersCourse_Answers404AndWritesADeniedEntry()
    {
        var (citizenId, courseId) = await StartCourseAsync("medarbejder2@exit.demo");
        var worker = fixture.Host.CreateClientAs(ExitRoles.Worker);

        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsJsonAsync($"/api/courses/{courseId}/pause", new { })).StatusCode);
        // The casework routes (issue 8) sit behind the same rule: the contact log, a correction, the rhythm, the decision, the ending.
        var contact = new { kind = "Phone", startedAt = DateTimeOffset.UtcNow, durationMinutes = 10, place = "Other" };
        Assert.Equal(HttpStatusCode.NotFound, (await worker.GetAsync($"/api/courses/{courseId}/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsJsonAsync($"/api/courses/{courseId}/contacts", contact)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PutAsJsonAsync($"/api/courses/{courseId}/contacts/{Guid.NewGuid()}", contact)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PutAsJsonAsync($"/api/courses/{courseId}/rhythm", new { rhythm = "Weekly" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "NotMotivatedNow" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.PostAsJsonAsync($"/api/courses/{courseId}/end", new { reason = "LostContact" })).StatusCode);

        var denied = await EntriesAsync(courseId, null);
        Assert.Equal(8, denied.Count(e => e.Outcome == AuditOutcome.Denied && e.UserName == Worker && e.CitizenId == citizenId));
    }

    [Fact]
    public async Task Manager_ReadsAnyCourse_Supervisor404()
    {
        var (_, courseId) = await StartCourseAsync("medarbejder2@exit.demo");

        Assert.Equal(HttpStatusCode.OK, (await fixture.Host.CreateClientAs(ExitRoles.Manager).GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.CreateClientAs(ExitRoles.Supervisor).GetAsync($"/api/courses/{courseId}/timeline")).StatusCode);
    }

    [Fact]
    public async Task Worker_StartsACourseForAnotherWorker_Answers403()
    {
        var citizen = await fixture.Host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync("/api/citizens", new { alias = "Alias W" });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var response = await fixture.Host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync("/api/courses", new { citizenId, worker = "medarbejder2@exit.demo" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<(string CitizenId, string CourseId)> StartCourseAsync(string worker)
    {
        var manager = fixture.Host.CreateClientAs(ExitRoles.Manager);
        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias = "Alias " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, citizen.StatusCode);
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" });
        Assert.True(course.StatusCode == HttpStatusCode.Created, await course.Content.ReadAsStringAsync());
        return (citizenId, (string)(await course.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!);
    }

    private async Task<List<AuditEntry>> EntriesAsync(string courseId, AuditAction? action)
    {
        using var scope = fixture.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.ResourceType == "course" && e.ResourceId == courseId && (action == null || e.Action == action)).ToListAsync();
    }
}
