using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14, item 9: courses do not change hands by the side door. A worker cannot start a course for a citizen on
/// another worker's caseload, pick the workflow definition or set their own full-time equivalent; a manager cannot
/// answer a course's evaluation; the task page refuses a task reassigned to someone else; cookie-authenticated API
/// changes must be JSON.
/// </summary>
public sealed partial class CaseloadRulesTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly ManualTimeProvider _clock = new();
    private readonly ExitHostFactory _host;

    public CaseloadRulesTests() => _host = new ExitHostFactory(_clock);

    public void Dispose() => _host.Dispose();

    private HttpClient Worker => _host.CreateClientAs(ExitRoles.Worker);
    private HttpClient Manager => _host.CreateClientAs(ExitRoles.Manager);
    private static string WorkerName => TestApiKeys.UserNameFor(ExitRoles.Worker);

    [Fact]
    public async Task AWorker_StartingACourseForACitizenOnAnotherWorkersCaseload_Gets404()
    {
        var citizenId = await CreateCitizenAsync(Manager);
        var other = await Manager.PostAsJsonAsync("/api/courses", new { citizenId, worker = "someone.else@test.dk", goal = "Exit" });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        var response = await Worker.PostAsJsonAsync("/api/courses", new { citizenId, worker = WorkerName, goal = "Exit" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // A citizen on nobody's caseload yet is fine.
        var fresh = await CreateCitizenAsync(Worker);
        Assert.Equal(HttpStatusCode.Created, (await Worker.PostAsJsonAsync("/api/courses", new { citizenId = fresh, worker = WorkerName, goal = "Exit" })).StatusCode);
    }

    [Fact]
    public async Task OnlyTheCtiCourseDefinition_StartsACourse()
    {
        var citizenId = await CreateCitizenAsync(Manager);

        var response = await Manager.PostAsJsonAsync("/api/courses", new { citizenId, worker = WorkerName, goal = "Exit", definitionId = "task-then-timer" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["definitionId"]);
    }

    [Fact]
    public async Task AWorker_CannotSetTheirOwnFullTimeEquivalent_AManagerCan()
    {
        var mine = await CreateCitizenAsync(Worker);
        var refused = await Worker.PostAsJsonAsync("/api/courses", new { citizenId = mine, worker = WorkerName, goal = "Exit", workerFullTimeEquivalent = 5 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("workerFullTimeEquivalent", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var byManager = await Manager.PostAsJsonAsync("/api/courses", new { citizenId = mine, worker = WorkerName, goal = "Exit", workerFullTimeEquivalent = 0.5 });

        Assert.Equal(HttpStatusCode.Created, byManager.StatusCode);
    }

    [Fact]
    public async Task AManager_CannotRecordACoursesEvaluation_ItsWorkerCan()
    {
        var citizenId = await CreateCitizenAsync(Worker);
        var started = await Worker.PostAsJsonAsync("/api/courses", new { citizenId, worker = WorkerName, goal = "Exit" });
        var courseId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;
        _clock.Advance(TimeSpan.FromDays(9));
        Assert.True((await Worker.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" })).IsSuccessStatusCode);
        var timeline = await Worker.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline");
        var taskId = (string)timeline!["tasks"]!.AsArray().First(t => (string?)t!["kind"] == "cti.evaluation.baseline")!["taskId"]!;
        var answers = new { who5 = new[] { 2, 2, 3, 1, 2 }, paidForSex = "Several", lifeSituation = new[] { 3, 4, 5, 3, 6, 2, 4, 5, 7, 3 } };

        var byManager = await Manager.PostAsJsonAsync($"/api/courses/{courseId}/evaluations/{taskId}", answers);

        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);
        Assert.Equal("Open", (string?)(await Manager.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!["status"]);
        Assert.Equal(HttpStatusCode.OK, (await Worker.PostAsJsonAsync($"/api/courses/{courseId}/evaluations/{taskId}", answers)).StatusCode);
    }

    [Fact]
    public async Task TheTaskPage_RefusesATaskReassignedToSomeoneElse_EvenForTheCoursesWorker()
    {
        var (cookie, email) = await SignedInWorkerAsync("page.worker@test.dk");
        var citizen = await cookie.PostAsJsonAsync("/api/citizens", new { alias = "Side door" });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var started = await cookie.PostAsJsonAsync("/api/courses", new { citizenId, worker = email, goal = "Exit" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var courseId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;
        var tasks = await Manager.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={courseId}&status=Open");
        var taskId = (string)tasks!["items"]!.AsArray().First()!["id"]!;
        var task = (await Manager.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;
        Assert.Equal(HttpStatusCode.OK, (await Manager.PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { assignee = "colleague@test.dk" })).StatusCode);

        var page = await cookie.GetStringAsync("/worker/courses/new");
        var token = PageAntiforgery().Match(page);
        Assert.True(token.Success, "the new-course form carries an antiforgery token");
        var post = await cookie.PostAsync($"/worker/tasks/{taskId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["outcome"] = (string)task["allowedOutcomes"]!.AsArray().First()!,
            ["heldOn"] = "2026-01-15",
            ["note"] = "completed by the side door",
        }));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("Open", (string?)(await Manager.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!["status"]);
    }

    [Fact]
    public async Task CookieApiChanges_WithoutJson_Answer415_AndChangeNothing()
    {
        var (cookie, email) = await SignedInWorkerAsync("content.type@test.dk");
        var citizen = await cookie.PostAsJsonAsync("/api/citizens", new { alias = "Same site" });
        Assert.Equal(HttpStatusCode.Created, citizen.StatusCode);
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var started = await cookie.PostAsJsonAsync("/api/courses", new { citizenId, worker = email, goal = "Exit" });
        var courseId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;

        Assert.Equal(HttpStatusCode.NoContent, (await cookie.PostAsJsonAsync($"/api/courses/{courseId}/pause", new { reason = "Other" })).StatusCode);

        // What a cross-site form can send: resuming takes no body, so only the content type gives the forgery away.
        var form = await cookie.PostAsync($"/api/courses/{courseId}/resume", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "y" }));
        var text = await cookie.PostAsync($"/api/courses/{courseId}/resume", new StringContent("", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("application/problem+json", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("Paused", (string?)(await cookie.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/timeline"))!["status"]);
        // The same change as JSON, as the web app's own calls are, goes through.
        Assert.Equal(HttpStatusCode.NoContent, (await cookie.PostAsJsonAsync($"/api/courses/{courseId}/resume", new { })).StatusCode);
        // An API key is not sent by a browser on its own: not affected.
        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, (await Worker.PostAsync($"/api/courses/{courseId}/pause", null)).StatusCode);
    }

    private async Task<(HttpClient Cookie, string Email)> SignedInWorkerAsync(string email)
    {
        using (var scope = _host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>().CreateAsync(user, Password, Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);
        }

        var cookie = _host.CreateClientAs(null);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthHost.SignInAsync(cookie, email, Password)).StatusCode);
        return (cookie, email);
    }

    private static async Task<string> CreateCitizenAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/citizens", new { alias = "Citizen " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<value>[^\"]+)\"|type=\"hidden\" name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex PageAntiforgery();
}
