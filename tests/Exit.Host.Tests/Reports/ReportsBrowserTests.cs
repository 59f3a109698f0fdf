using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Exit.Activities.Cti.Reports;
using Exit.Host.Features.Reports;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Browser;
using Exit.Host.Tests.Ui;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Reports;

/// <summary>The demo's synthetic cohort (the same code --demo runs) plus a team of four citizens, for the suppression rule.</summary>
public sealed class ReportsBrowserFixture : UiBrowserFixture
{
    public const string SmallTeam = "Team Lille";
    public const string SmallTeamWorker = "lille@exit.demo";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _seeded;

    public async Task EnsureCohortAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_seeded) return;
            using var scope = Services.CreateScope();
            await DemoCohort.SeedAsync(scope.ServiceProvider, "medarbejder1@exit.demo", "medarbejder2@exit.demo", CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<ReportData>()
                .RecordStaffingAsync(SmallTeamWorker, SmallTeam, 100, Clock.GetUtcNow().AddYears(-1), "test", Clock.GetUtcNow(), CancellationToken.None);
            for (var i = 0; i < 4; i++) await StartCourseAsync($"Lille {i}", SmallTeamWorker);
            _seeded = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// A manager opens the outcome and fidelity reports on the demo cohort: every chart has bars with values, a filter
/// changes the figures, a team of four shows "&lt;5" and is absent from the CSV (page and API). Screenshots kept.
/// </summary>
public sealed class ReportsBrowserTests(ReportsBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<ReportsBrowserFixture>
{
    [BrowserFact]
    public async Task Manager_OpensOutcomeReport_ChartsHaveData_FilterChangesFigures_SmallTeamSuppressed()
    {
        await fixture.EnsureCohortAsync();
        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/report");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Resultater", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#counting-rule")).ToContainTextAsync("seneste fulde forløb");
        foreach (var chart in new[] { "chart-shares", "chart-areas", "chart-status" })
            Assert.True(await BarsWithValueAsync(page, chart) > 0, $"{chart} has no data");
        await Assertions.Expect(page.Locator("svg#chart-shares title")).ToContainTextAsync("Skift til fase 2");
        var allCitizens = await page.Locator("#citizens-count").InnerTextAsync();
        Assert.Contains("154 borgere", allCitizens, StringComparison.Ordinal); // 150 synthetic + the team of four

        // The team of four: "<5" in its breakdown row, on the page.
        var small = page.Locator("#breakdown-team tr").Filter(new() { HasText = ReportsBrowserFixture.SmallTeam });
        await Assertions.Expect(small.Locator("td").First).ToHaveTextAsync("<5");
        await Assertions.Expect(page.Locator("#thresholds-table")).ToContainTextAsync("Lokal indstilling");
        await fixture.ScreenshotAsync(page, "reports-outcome-all", output);

        // …and absent from the CSV the page exports (while the big teams are there).
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Hent som CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("outcome,team,Team Nord,citizens,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(ReportsBrowserFixture.SmallTeam, csv, StringComparison.Ordinal);
        Assert.DoesNotContain("<5", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Syntetisk borger", csv, StringComparison.Ordinal);

        // A filter changes the figures.
        await page.Locator("#team").SelectOptionAsync("Team Nord");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrér" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("team=Team", StringComparison.Ordinal));
        var nord = await page.Locator("#citizens-count").InnerTextAsync();
        Assert.NotEqual(allCitizens, nord);
        Assert.True(await BarsWithValueAsync(page, "chart-shares") > 0);
        await fixture.ScreenshotAsync(page, "reports-outcome-team-nord", output);
    }

    [BrowserFact]
    public async Task Manager_OpensFidelityReport_ChartsHaveData_FilterChangesFigures()
    {
        await fixture.EnsureCohortAsync();
        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/fidelity");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Metodetroskab", Exact = true })).ToBeVisibleAsync();
        foreach (var chart in new[] { "chart-contacts", "chart-coordination", "chart-caseload" })
            Assert.True(await BarsWithValueAsync(page, chart) > 0, $"{chart} has no data");
        var table = page.Locator("#fidelity-table");
        foreach (var key in new[] { "contactsPerWeek.Phase1", "taper.Phase3", "coordinationShare.Phase3", "caseloadWithinLimit", "workersSharing", "supervisionWorkers", "supervisionSupportPersons", "handoverOnTime", "focusAreasInRange", "phasesCompleted", "earlyClosures", "pausesPerCourse", "workerChangesPerCourse" })
        {
            var figure = await table.Locator($"tr[data-key='{key}'] td").Nth(2).InnerTextAsync();
            Assert.False(figure is "–" or "<5", $"{key} has no figure: {figure}");
        }

        var before = await table.Locator("tr[data-key='contactsPerWeek.Phase1'] td").Nth(2).InnerTextAsync();
        var coursesBefore = await page.Locator("#courses-count").InnerTextAsync();
        await fixture.ScreenshotAsync(page, "reports-fidelity-all", output);

        await page.Locator("#team").SelectOptionAsync("Team Syd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrér" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("team=Team", StringComparison.Ordinal));
        var after = await table.Locator("tr[data-key='contactsPerWeek.Phase1'] td").Nth(2).InnerTextAsync();
        Assert.NotEqual(coursesBefore, await page.Locator("#courses-count").InnerTextAsync());
        Assert.True(before != after || coursesBefore != await page.Locator("#courses-count").InnerTextAsync());
        Assert.True(await BarsWithValueAsync(page, "chart-contacts") > 0);
        await fixture.ScreenshotAsync(page, "reports-fidelity-team-syd", output);
    }

    [BrowserFact]
    public async Task Manager_RecordsStaffing_FromTheFidelityReport_AndTheTeamAppearsInItsFilter()
    {
        await fixture.EnsureCohortAsync();
        const string worker = "bemanding@exit.demo", team = "Team Øst";
        using (var scope = fixture.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var user = new Microsoft.AspNetCore.Identity.IdentityUser { UserName = worker, Email = worker, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>()
                .CreateAsync(user, "Staffing-Test-2026!", Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);
        }

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/fidelity");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bemanding (team og årsværk)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bemanding: team og årsværk", Exact = true })).ToBeVisibleAsync();

        // A team of blanks is refused, the field named in Danish, nothing stored.
        await page.Locator("#worker").SelectOptionAsync(worker);
        await page.Locator("#team").FillAsync("   ");
        await page.Locator("#ftePercent").FillAsync("60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Team");
        await Assertions.Expect(page.Locator($"#staffing-table tr[data-worker='{worker}']")).ToHaveCountAsync(0);

        await page.Locator("#worker").SelectOptionAsync(worker);
        await page.Locator("#team").FillAsync(team);
        await page.Locator("#ftePercent").FillAsync("60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("done=recorded", StringComparison.Ordinal));
        var row = page.Locator($"#staffing-table tr[data-worker='{worker}']");
        await Assertions.Expect(row).ToContainTextAsync(team);
        await Assertions.Expect(row).ToContainTextAsync("60 %");
        await fixture.ScreenshotAsync(page, "reports-staffing", output);

        // The fidelity report reads it: the team is a filter choice, and its caseload counts the worker's capacity.
        await page.GotoAsync("manager/fidelity");
        await page.Locator("#team").SelectOptionAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrér" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("team=Team", StringComparison.Ordinal));
        using var client = fixture.CreateApiClient(ExitRoles.Manager);
        using var report = JsonDocument.Parse(await client.GetStringAsync($"api/cti/fidelity-report?team={Uri.EscapeDataString(team)}"));
        // Recorded from today (the form's default): the current month has the worker, at 20 citizens × 0.6.
        var month = report.RootElement.GetProperty("report").GetProperty("caseload").EnumerateArray().Last();
        Assert.Equal((1, 12), (month.GetProperty("workers").GetInt32(), month.GetProperty("capacity").GetInt32()));
    }

    [BrowserFact]
    public async Task Api_ReportsWithFiltersAndCsv_SuppressedCellsLeftOut_AndExportsAudited()
    {
        await fixture.EnsureCohortAsync();
        using var client = fixture.CreateApiClient(ExitRoles.Manager);

        using var outcome = JsonDocument.Parse(await client.GetStringAsync("api/cti/outcome-report?year=2025"));
        var citizens = outcome.RootElement.GetProperty("citizens");
        Assert.True(citizens.GetProperty("citizens").GetProperty("n").GetInt32() > 5);
        Assert.Equal(2025, outcome.RootElement.GetProperty("filter").GetProperty("year").GetInt32());
        Assert.Contains(outcome.RootElement.GetProperty("thresholds").EnumerateArray(), t => t.GetProperty("key").GetString() == "progressionLarge" && t.GetProperty("source").GetString() == "Local");
        // The small team's courses started at the test clock (2026): with year=2025 the team is not in the report at all.
        Assert.DoesNotContain(citizens.GetProperty("breakdowns").EnumerateArray(), b => b.GetProperty("value").GetString() == ReportsBrowserFixture.SmallTeam);

        using var all = JsonDocument.Parse(await client.GetStringAsync("api/cti/outcome-report"));
        var smallAll = all.RootElement.GetProperty("citizens").GetProperty("breakdowns").EnumerateArray()
            .Single(b => b.GetProperty("dimension").GetString() == "team" && b.GetProperty("value").GetString() == ReportsBrowserFixture.SmallTeam);
        Assert.True(smallAll.GetProperty("citizens").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, smallAll.GetProperty("citizens").GetProperty("value").ValueKind);

        using var fidelity = JsonDocument.Parse(await client.GetStringAsync("api/cti/fidelity-report?team=Team%20Nord"));
        var items = fidelity.RootElement.GetProperty("report").GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.True(i.TryGetProperty("target", out _) && i.TryGetProperty("source", out _) && i.GetProperty("figure").TryGetProperty("n", out _)));

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "api/cti/outcome-report");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csvResponse = await client.SendAsync(csvRequest);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.StartsWith(ReportCsv.Header, csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.DoesNotContain(ReportsBrowserFixture.SmallTeam, csv, StringComparison.Ordinal);

        using var export = await client.GetAsync("api/cti/report-export");
        var file = await export.Content.ReadAsStringAsync();
        Assert.StartsWith(ReportCsv.AggregateHeader, file.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.DoesNotContain("syntetisk.", file, StringComparison.Ordinal); // no worker names in the evaluator's file
        Assert.Contains("fidelity,item,handoverOnTime", file, StringComparison.Ordinal);

        using var bad = await client.GetAsync("api/cti/fidelity-report?quarter=5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("quarter", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        Assert.Contains(db.AuditEntries.Where(a => a.ResourceType == "outcome-report").ToList(), a => a.Action == Exit.Host.Infrastructure.Audit.AuditAction.Export);
        Assert.Contains(db.AuditEntries.Where(a => a.ResourceType == "report-export").ToList(), a => a.Action == Exit.Host.Infrastructure.Audit.AuditAction.Export);
    }

    private static async Task<int> BarsWithValueAsync(IPage page, string chartId) =>
        await page.EvaluateAsync<int>($"() => [...document.querySelectorAll('svg#{chartId} rect.bar')].filter(r => r.dataset.value !== '' && parseFloat(r.getAttribute('width')) > 0).length");
}
