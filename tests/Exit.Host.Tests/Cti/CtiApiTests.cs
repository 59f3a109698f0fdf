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
using Microsoft.Extensions.Hosting;

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
        builder.Host.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddExitWorkflows(new ExitWorkflowOptions { Database = database, DefinitionsFolder = definitions, DurableTimers = false });
        builder.Services.AddHumanTasks(o => o.ConnectionString = database.ConnectionString);
        builder.Services.AddSingleton<IStoreMigration>(new DelegateStoreMigration((sp, ct) => sp.MigrateHumanTasksAsync(ct)));
        builder.Services.AddCtiFeature(database);
        Exit.Activities.Cti.Reports.ReportServiceCollectionExtensions.AddCtiReports(builder.Services, new Exit.Activities.Cti.Reports.ReportOptions()); // the outcome report endpoint needs it
        // The contact log's note rule asks the caseload rules and writes the audit log: this host has no sign-in, so no
        // course is anyone's caseload and notes stay withheld; the audit entries are kept in memory.
        builder.Services.AddScoped<Exit.Host.Infrastructure.Auth.ICourseDirectory, Exit.Host.Infrastructure.Auth.NoCourseDirectory>();
        builder.Services.AddScoped<Exit.Host.Infrastructure.Auth.ICaseloadAccess, Exit.Host.Infrastructure.Auth.CaseloadAccess>();
        builder.Services.AddSingleton<Exit.Host.Infrastructure.Audit.IAuditLog, Exit.Host.Tests.Elsa.MemoryAuditLog>();
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
        Assert.Contains(timeline["tasks"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "cti.next-contact");
        Assert.Contains(timeline["tasks"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "cti.clarification");
        Assert.Contains(timeline["planned"]!.AsArray(), s => s!["kind"]!.GetValue<string>() == "HandoverAgreement");

        // No phase can be skipped: a clear 409 with the rule code.
        var skip = await _client.PostAsync($"/api/courses/{courseId}/phases/Phase2/close", null);
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        var problem = JsonNode.Parse(await skip.Content.ReadAsStringAsync())!;
        Assert.Equal("cti.course.phases-in-order", problem["rule"]!.GetValue<string>());
        Assert.Contains("none may be skipped", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromDays(9));
        // The contact period ends with the decision, not by closing it.
        var close = await _client.PostAsync($"/api/courses/{courseId}/phases/ContactPeriod/close", null);
        Assert.Equal(HttpStatusCode.Conflict, close.StatusCode);
        Assert.Contains("cti.course.decision-required", await close.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" })).StatusCode);
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
        Assert.Equal(1, report["outcomes"]!["running"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/courses/{Guid.Empty}/timeline")).StatusCode);
    }

    [Fact]
    public async Task Contacts_Rhythm_Decision_AndEnding_ThroughTheApi()
    {
        var citizenId = (await PostAsync("/api/citizens", new { alias = "Lea" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var courseId = (await PostAsync("/api/courses", new { citizenId, worker = "worker-anna" }, HttpStatusCode.Created))["courseId"]!.GetValue<string>();
        // Started Monday 2 March 2026 09:00 Copenhagen: the first next contact is due a week later.
        var nextContact = new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(nextContact, (await GetAsync($"/api/courses/{courseId}/timeline"))["nextContactDue"]!.GetValue<DateTimeOffset>());

        // Bad input: every field named, nothing stored.
        _clock.Advance(TimeSpan.FromDays(2));
        var bad = await _client.PostAsJsonAsync($"/api/courses/{courseId}/contacts", new
        {
            kind = "Pigeon", startedAt = _clock.GetUtcNow().AddHours(3), durationMinutes = 1500, place = "Moon", networkMemberIds = new[] { Guid.NewGuid() },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["kind", "place", "startedAt", "durationMinutes", "networkMemberIds"], errors.Select(e => e.Key));
        var negative = await _client.PostAsJsonAsync($"/api/courses/{courseId}/contacts", new { kind = "Phone", startedAt = _clock.GetUtcNow(), durationMinutes = -1, place = "Home" });
        Assert.Equal(["durationMinutes"], JsonNode.Parse(await negative.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(nextContact, (await GetAsync($"/api/courses/{courseId}/timeline"))["nextContactDue"]!.GetValue<DateTimeOffset>());

        // A phone call on Wednesday 4 March 09:00 satisfies the task; the next is due a week on.
        var logged = await PostAsync($"/api/courses/{courseId}/contacts",
            new { kind = "Phone", startedAt = _clock.GetUtcNow(), durationMinutes = 15, place = "Other", focusAreas = new[] { "Housing" }, note = "Ringede om boligen" },
            HttpStatusCode.Created);
        Assert.Equal(1, logged["revision"]!.GetValue<int>());
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 9, 0, 0, TimeSpan.FromHours(1)), (await GetAsync($"/api/courses/{courseId}/timeline"))["nextContactDue"]!.GetValue<DateTimeOffset>());
        var corrected = await _client.PutAsJsonAsync($"/api/courses/{courseId}/contacts/{logged["contactId"]}",
            new { kind = "Video", startedAt = _clock.GetUtcNow(), durationMinutes = 25, place = "Other", note = "Videosamtale om boligen" });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await corrected.Content.ReadAsStringAsync())!["revision"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsJsonAsync($"/api/courses/{courseId}/contacts/{Guid.NewGuid()}",
            new { kind = "Video", startedAt = _clock.GetUtcNow(), durationMinutes = 25, place = "Other" })).StatusCode);

        // The rhythm is the worker's to change, per citizen; an unknown one is a 400 naming the field.
        var rhythm = await _client.PutAsJsonAsync($"/api/courses/{courseId}/rhythm", new { rhythm = "EveryTwoWeeks" });
        Assert.Equal(HttpStatusCode.OK, rhythm.StatusCode);
        var timeline = await GetAsync($"/api/courses/{courseId}/timeline");
        Assert.Equal("EveryTwoWeeks", timeline["rhythm"]!["ContactPeriod"]!.GetValue<string>());
        Assert.Single(timeline["rhythmChanges"]!.AsArray());
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 9, 0, 0, TimeSpan.FromHours(1)), timeline["nextContactDue"]!.GetValue<DateTimeOffset>());
        var badRhythm = await _client.PutAsJsonAsync($"/api/courses/{courseId}/rhythm", new { rhythm = "Daily" });
        Assert.Equal(HttpStatusCode.BadRequest, badRhythm.StatusCode);
        Assert.Contains("rhythm", JsonNode.Parse(await badRhythm.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key));

        // The decision: an unknown answer is 400; "not motivated now" ends the course with that reason.
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Maybe" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "NotMotivatedNow" })).StatusCode);
        timeline = await GetAsync($"/api/courses/{courseId}/timeline");
        Assert.Equal("Cancelled", timeline["status"]!.GetValue<string>());
        Assert.Equal("NotMotivatedNow", timeline["ending"]!["reason"]!.GetValue<string>());
        Assert.Equal("EndedAtClarification", timeline["outcome"]!.GetValue<string>());
        Assert.DoesNotContain(timeline["tasks"]!.AsArray(), t => t!["taskStatus"]!.GetValue<string>() == "Open");
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/decision", new { answer = "Continue" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsJsonAsync($"/api/courses/{courseId}/end", new { reason = "Other" })).StatusCode);

        // A second course in phase 1: the decision is 409 there; ending it with a reason and a date works, a future date is 400.
        var second = (await PostAsync("/api/courses", new { citizenId, worker = "worker-anna" }, HttpStatusCode.Created))["courseId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsJsonAsync($"/api/courses/{second}/decision", new { answer = "Continue" })).StatusCode);
        var late = await _client.PostAsJsonAsync($"/api/courses/{second}/decision", new { answer = "Continue" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("cti.course.not-in-contact-period", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var future = await _client.PostAsJsonAsync($"/api/courses/{second}/end", new { reason = "LostContact", endedOn = _clock.GetUtcNow().AddDays(2) });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("endedOn", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromDays(1));
        var ended = await PostAsync($"/api/courses/{second}/end", new { reason = "LostContact", endedOn = _clock.GetUtcNow().AddHours(-2) }, HttpStatusCode.OK);
        Assert.Equal("DroppedOut", ended["outcome"]!.GetValue<string>());
        timeline = await GetAsync($"/api/courses/{second}/timeline");
        Assert.Equal("LostContact", timeline["ending"]!["reason"]!.GetValue<string>());
        Assert.DoesNotContain(timeline["tasks"]!.AsArray(), t => t!["taskStatus"]!.GetValue<string>() == "Open");
        var outcomes = (await GetAsync($"/api/cti/outcome-report?courseId={courseId}&courseId={second}"))["outcomes"]!;
        Assert.Equal((0, 1, 1, 0), (outcomes["completed"]!.GetValue<int>(), outcomes["droppedOut"]!.GetValue<int>(),
            outcomes["endedAtClarification"]!.GetValue<int>(), outcomes["running"]!.GetValue<int>()));
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
