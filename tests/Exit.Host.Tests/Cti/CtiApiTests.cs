using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Cti;
using Exit.Host.Infrastructure;
using Exit.Workflows.Hosting;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Cti;

/// <summary>
/// The CTI API in a test server over the real runtime, task store and CTI store on a SQLite file (timers not
/// scheduled: these tests never wait for one), wired as Program.cs should wire it.
/// </summary>
public sealed class CtiApiTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-host-cti-" + Path.GetRandomFileName());
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var definitions = Path.Combine(_directory, "definitions");
        Directory.CreateDirectory(definitions);
        File.Copy(FindDefinition(), Path.Combine(definitions, "cti-course.json"));
        var database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_directory, "exit.db")}" };

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddExitWorkflows(new ExitWorkflowOptions { Database = database, DefinitionsFolder = definitions, DurableTimers = false });
        builder.Services.AddHumanTasks(o => o.ConnectionString = database.ConnectionString);
        builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
        builder.Services.AddCtiFeature(database);
        builder.Services.AddExitProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.MapCtiEndpoints();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task CourseLifecycle_ThroughTheApi()
    {
        var citizen = await PostAsync("/api/citizens", new { alias = "Maja" }, HttpStatusCode.Created);
        var citizenId = citizen["id"]!.GetValue<string>();
        var started = await PostAsync("/api/courses", new { citizenId, worker = "worker-anna", goal = "Exit" }, HttpStatusCode.Created);
        var courseId = started["courseId"]!.GetValue<string>();

        var timeline = await GetAsync($"/api/courses/{courseId}/timeline");
        Assert.Equal("ContactPeriod", timeline["currentPeriod"]!.GetValue<string>());
        Assert.Contains(timeline["tasks"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "cti.contact-meeting.first");
        Assert.Contains(timeline["planned"]!.AsArray(), s => s!["kind"]!.GetValue<string>() == "HandoverAgreement");

        // No phase can be skipped: a clear 409 with the rule code.
        var skip = await _client.PostAsync($"/api/courses/{courseId}/phases/Phase2/close", null);
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        var problem = JsonNode.Parse(await skip.Content.ReadAsStringAsync())!;
        Assert.Equal("cti.course.phases-in-order", problem["rule"]!.GetValue<string>());
        Assert.Contains("none may be skipped", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromDays(9));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/courses/{courseId}/phases/ContactPeriod/close", null)).StatusCode);
        timeline = await GetAsync($"/api/courses/{courseId}/timeline");
        Assert.Equal("Phase1", timeline["currentPeriod"]!.GetValue<string>());
        var baseline = timeline["tasks"]!.AsArray().First(t => t!["kind"]!.GetValue<string>() == "cti.evaluation.baseline")!;
        var taskId = baseline["taskId"]!.GetValue<string>();

        // Answers are checked; scores are computed, not typed.
        var bad = await _client.PostAsJsonAsync($"/api/courses/{courseId}/evaluations/{taskId}", new { who5 = new[] { 1, 2, 3 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cti.who5.item-count", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = await PostAsync($"/api/courses/{courseId}/evaluations/{taskId}",
            new { who5 = new[] { 2, 2, 3, 1, 2 }, paidForSex = "Several", lifeSituation = new[] { 3, 4, 5, 3, 6, 2, 4, 5, 7, 3 } }, HttpStatusCode.OK);
        Assert.Equal(40, recorded["who5Score"]!.GetValue<int>());
        Assert.True(recorded["who5InRiskZone"]!.GetValue<bool>());
        Assert.Equal(42, recorded["lifeSituationTotal"]!.GetValue<int>());

        // Pause, a second pause is refused, resume.
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/pause", new { reason = "Hospitalisation" })).StatusCode);
        var again = await _client.PostAsJsonAsync($"/api/courses/{courseId}/pause", new { reason = "Other" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        _clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/courses/{courseId}/resume", null)).StatusCode);

        // Reassignment moves the open tasks.
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/reassign", new { worker = "worker-bo", reason = "leave" })).StatusCode);
        timeline = await GetAsync($"/api/courses/{courseId}/timeline");
        Assert.Equal("worker-bo", timeline["responsibleWorker"]!.GetValue<string>());
        Assert.All(timeline["tasks"]!.AsArray().Where(t => t!["taskStatus"]!.GetValue<string>() == "Open" && t["kind"]!.GetValue<string>() != "cti.supervision"),
            t => Assert.Equal("worker-bo", t!["assignee"]!.GetValue<string>()));

        var report = await GetAsync($"/api/cti/outcome-report?courseId={courseId}");
        Assert.Equal(1, report["report"]!["courses"]!.GetValue<int>());
        Assert.Equal(1, report["report"]!["who5RiskZone"]!["notMeasured"]!.GetValue<int>()); // no final evaluation yet
        Assert.Contains("moderate", report["progressionRule"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/courses/{Guid.Empty}/timeline")).StatusCode);
    }

    [Fact]
    public async Task StartCourse_ForAnUnknownCitizen_Is404_AndWithoutWorker_Is400()
    {
        var unknown = await _client.PostAsJsonAsync("/api/courses", new { citizenId = Guid.Empty, worker = "w" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var noWorker = await _client.PostAsJsonAsync("/api/courses", new { citizenId = Guid.Empty });
        Assert.Equal(HttpStatusCode.BadRequest, noWorker.StatusCode);
    }

    [Fact]
    public async Task CreateCitizen_ValidatesAliasAndCpr_AndNeedsAProtectorForCpr()
    {
        var noAlias = await _client.PostAsJsonAsync("/api/citizens", new { alias = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noAlias.StatusCode);
        Assert.Contains("cti.citizen.alias-required", await noAlias.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badCpr = await _client.PostAsJsonAsync("/api/citizens", new { alias = "Maja", cpr = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, badCpr.StatusCode);
        var noProtector = await _client.PostAsJsonAsync("/api/citizens", new { alias = "Maja", cpr = "010190-1234" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noProtector.StatusCode);
    }

    private async Task<JsonNode> PostAsync(string url, object body, HttpStatusCode expected)
    {
        var response = await _client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions())!;
    }

    private static string FindDefinition()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "workflow-definitions", "cti-course.json");
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException("workflow-definitions/cti-course.json");
    }
}
