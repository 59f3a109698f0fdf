using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Testing;

namespace Exit.Host.Tests.SupportPersons;

public sealed class SupervisionSeriesClockOnSqliteTests() : SupervisionSeriesClockTests(new SqliteHostDatabase());

[RequiresPostgres]
public sealed class SupervisionSeriesClockOnPostgresTests() : SupervisionSeriesClockTests(new PostgresHostDatabase());

/// <summary>
/// Six months of supervision through the real Host on the injected clock: the planner (on the clock, no per-course timer)
/// plans one session per SKP team per month, however many citizens the team has and whenever their courses started;
/// the workers' series is separate; a month whose session was not held turns up on the manager's overdue page for each of
/// the team's active SKPs, and only that month.
/// </summary>
public abstract class SupervisionSeriesClockTests(IHostDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static readonly DateTimeOffset Start = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);

    [DatabaseFact]
    public async Task SixMonths_OneSessionPerTeamPerMonth_AndAMissedMonthIsOverdue()
    {
        var clock = new ManualTimeProvider(Start);
        var host = await database.CreateHostAsync(clock);
        var manager = host.CreateClientAs(ExitRoles.Manager);
        var supervisor = host.CreateClientAs(ExitRoles.Supervisor);

        var north = new[] { await RegisterAsync(manager, "Anna", "Nord"), await RegisterAsync(manager, "Bente", "Nord") };
        var south = await RegisterAsync(manager, "Carla", "Syd");

        // Citizens' courses start on different days over the months, and each team's SKPs take several citizens.
        var matched = 0;
        for (var month = 0; month < 6; month++)
        {
            var now = new DateTimeOffset(2027, 1 + month, 4 + month * 3, 9, 0, 0, TimeSpan.Zero);
            clock.SetUtcNow(now);
            var period = $"2027-{1 + month:00}-01";
            var series = await WaitForSessionsAsync(supervisor, period);
            Assert.Single(series, s => (string?)s!["team"] == "Nord");
            Assert.Single(series, s => (string?)s!["team"] == "Syd");
            Assert.Single(series, s => (string?)s!["kind"] == "Workers");

            if (month < 3)
            {
                foreach (var skp in north.Append(south))
                {
                    var course = await StartCourseAsync(manager, $"worker-{month % 2}");
                    var match = await manager.PostAsJsonAsync($"/api/support-persons/{skp}/matches", new { courseId = course, start = now.ToString("yyyy-MM-dd"), hoursPerWeek = 3 });
                    Assert.True(match.StatusCode == HttpStatusCode.Created, await match.Content.ReadAsStringAsync());
                    matched++;
                }
            }

            // March (the third month) is not held; every other month both teams meet and everyone attends.
            if (month == 2) continue;
            foreach (var (team, members) in new[] { ("Nord", north), ("Syd", new[] { south }) })
            {
                var session = SessionOf(series, team, period);
                var held = await supervisor.PostAsJsonAsync($"/api/supervision/sessions/{session}/held", new
                {
                    heldOn = now.ToString("yyyy-MM-dd"), format = "Group",
                    attendance = members.Select(m => new { supportPersonId = m, attended = true, note = "Samtale om grænser" }).ToArray(),
                });
                Assert.True(held.StatusCode == HttpStatusCode.OK, await held.Content.ReadAsStringAsync());
            }
        }

        clock.SetUtcNow(new DateTimeOffset(2027, 7, 2, 9, 0, 0, TimeSpan.Zero));
        var all = await WaitForSessionsAsync(supervisor, "2027-07-01");
        Assert.Equal(9, matched);
        foreach (var team in new[] { "Nord", "Syd" })
        {
            var periods = all.Single(s => (string?)s!["team"] == team)!["sessions"]!.AsArray().Select(x => (string)x!["periodStart"]!).ToList();
            Assert.Equal(["2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01", "2027-07-01"], periods);
            var statuses = all.Single(s => (string?)s!["team"] == team)!["sessions"]!.AsArray().Select(x => (string)x!["status"]!).ToList();
            Assert.Equal(["Held", "Held", "Planned", "Held", "Held", "Held", "Planned"], statuses);
        }

        // The workers' supervision is its own series (weekly by default), not one per course either.
        var workerPeriods = all.Single(s => (string?)s!["kind"] == "Workers")!["sessions"]!.AsArray().Select(x => (string)x!["periodStart"]!).ToList();
        Assert.Equal(workerPeriods.Distinct().Count(), workerPeriods.Count);
        Assert.InRange(workerPeriods.Count, 26, 27);

        // No course raised supervision of its own.
        var tasks = await manager.GetFromJsonAsync<JsonObject>($"/api/tasks?pageSize=500");
        Assert.DoesNotContain(tasks!["items"]!.AsArray(), t => (string?)t!["kind"] == CtiTaskKinds.Supervision);

        // The fidelity report counts the series' held sessions: both teams in each held month, none in March.
        var fidelity = await manager.GetFromJsonAsync<JsonObject>("/api/cti/fidelity-report?year=2027");
        int HeldIn(string month) => (int)fidelity!["report"]!["supervision"]!.AsArray().Single(m => ((string)m!["month"]!).StartsWith(month, StringComparison.Ordinal))!["sessions"]!;
        foreach (var month in new[] { "2027-01", "2027-02", "2027-04", "2027-05", "2027-06" }) Assert.Equal(2, HeldIn(month));
        Assert.Equal(0, HeldIn("2027-03"));
        // Counted apart: the SKP teams' sessions are support persons' supervision; no workers' session was held.
        int Of(string month, string who) => (int)fidelity!["report"]!["supervision"]!.AsArray().Single(m => ((string)m!["month"]!).StartsWith(month, StringComparison.Ordinal))![who]!;
        foreach (var month in new[] { "2027-01", "2027-02", "2027-04", "2027-05", "2027-06" }) Assert.Equal((2, 0), (Of(month, "supportPersons"), Of(month, "workers")));
        var items = fidelity!["report"]!["items"]!.AsArray();
        double? Share(string key) => (double?)items.Single(i => (string?)i!["key"] == key)!["figure"]!["value"];
        Assert.Equal(0.0, Share("supervisionWorkers"));
        Assert.True(Share("supervisionSupportPersons") > 0);

        // The manager's overdue page: March for each active SKP, and no other month.
        var page = await manager.GetStringAsync("/manager/overdue");
        var table = page[page.IndexOf("id=\"skp-overdue\"", StringComparison.Ordinal)..];
        foreach (var name in new[] { "Anna", "Bente", "Carla" }) Assert.Contains(name, table, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(table, "2027-03"));
        foreach (var month in new[] { "2027-01", "2027-02", "2027-04", "2027-05", "2027-06", "2027-07" }) Assert.DoesNotContain(month, table, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string SessionOf(JsonArray series, string team, string period) =>
        (string)series.Single(s => (string?)s!["team"] == team)!["sessions"]!.AsArray().Single(x => (string?)x!["periodStart"] == period)!["id"]!;

    /// <summary>The planner runs on the clock's timer: wait until it has planned the period for both teams.</summary>
    private static async Task<JsonArray> WaitForSessionsAsync(HttpClient supervisor, string period)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var series = (await supervisor.GetFromJsonAsync<JsonArray>("/api/supervision/series?from=2026-12-01&to=2027-12-31"))!;
            var teams = series.Where(s => (string?)s!["kind"] == "SupportPersonTeam").ToList();
            // The workers' weekly series is planned in the same pass, possibly after the teams: wait for its last week too.
            var lastWeek = DateOnly.Parse(period, CultureInfo.InvariantCulture).AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var workersCaughtUp = series.Any(s => (string?)s!["kind"] == "Workers"
                && s["sessions"]!.AsArray().Any(x => string.CompareOrdinal((string?)x!["periodStart"], lastWeek) >= 0));
            if (teams.Count == 2 && workersCaughtUp && teams.All(t => t!["sessions"]!.AsArray().Any(x => (string?)x!["periodStart"] == period))) return series;
            Assert.True(DateTime.UtcNow < deadline, $"the planner planned {period} for both teams and the workers");
            await Task.Delay(200);
        }
    }

    private static async Task<string> RegisterAsync(HttpClient manager, string name, string team)
    {
        var response = await manager.PostAsJsonAsync("/api/support-persons", new
        {
            displayName = name, team, languages = new[] { "dansk" }, agreementStart = "2027-01-01", hoursPerWeek = 3,
            acuteAvailability = "Telefon hverdage", confidentialitySignedOn = "2027-01-04",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static async Task<string> StartCourseAsync(HttpClient manager, string worker)
    {
        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias = "Alias " + Guid.NewGuid().ToString("N")[..6] });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" });
        Assert.True(course.StatusCode == HttpStatusCode.Created, await course.Content.ReadAsStringAsync());
        return (string)(await course.Content.ReadFromJsonAsync<JsonObject>())!["courseId"]!;
    }
}
