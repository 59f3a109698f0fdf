using System.Text.Json;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Host.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class ReportAndSupervisionBrowserFixture : UiBrowserFixture;

/// <summary>The outcome report with charts and CSV for a manager. (Per-course supervision sessions are retired: supervision is a series per SKP team, see SupportPersonsBrowserTests.)</summary>
public sealed class ReportAndSupervisionBrowserTests(ReportAndSupervisionBrowserFixture fixture, ITestOutputHelper output)
    : IClassFixture<ReportAndSupervisionBrowserFixture>
{
    [BrowserFact]
    public async Task Manager_OutcomeReport_ShowsStartVersusEndChartsAndExportsCsv()
    {
        // Two courses measured at baseline and final (recorded as the CTI store keeps them), others not measured.
        var improved = await fixture.StartCourseAsync("A", UiBrowserFixture.WorkerA);
        var unchanged = await fixture.StartCourseAsync("B", UiBrowserFixture.WorkerA);
        await fixture.StartCourseAsync("C", UiBrowserFixture.WorkerB);
        await AddEvaluationsAsync(improved, who5Start: [1, 2, 2, 1, 2], who5End: [4, 4, 3, 4, 4], paidStart: "Weekly", paidEnd: "None", lifeStart: 3, lifeEnd: 6);
        await AddEvaluationsAsync(unchanged, who5Start: [2, 2, 2, 2, 2], who5End: [2, 2, 3, 2, 2], paidStart: "None", paidEnd: "None", lifeStart: 5, lifeEnd: 5);

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/report");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Resultater", Exact = true })).ToBeVisibleAsync();
        var shares = page.Locator("#shares-table");
        // WHO-5 risk zone: both at start (24, 40), one at end (76 normal, 44 risk) → 100 % → 50 %.
        await Assertions.Expect(shares.GetByRole(AriaRole.Row).Filter(new() { HasText = "WHO-5" })).ToContainTextAsync("100 %");
        await Assertions.Expect(shares.GetByRole(AriaRole.Row).Filter(new() { HasText = "WHO-5" })).ToContainTextAsync("50 %");
        await Assertions.Expect(shares.GetByRole(AriaRole.Row).Filter(new() { HasText = "Betaling" })).ToContainTextAsync("2 målt ved både start og slut");
        await Assertions.Expect(page.Locator("#progression-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "Stor" })).ToContainTextAsync("1");
        await Assertions.Expect(page.Locator("svg#chart-shares")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg#chart-areas title")).ToContainTextAsync("Psykisk helbred: Start 5,0, Slut 6,5");
        await fixture.ScreenshotAsync(page, "ui-manager-report-data", output);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Hent som CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var csv = await File.ReadAllTextAsync(path!);
        // measure, measured, not measured (other courses in this host), at start, at end, shares
        Assert.Matches(@"who5_risk_zone,2,\d+,2,1,1\.000,0\.500", csv);
        Assert.Matches(@"paid_for_sex_last_month,2,\d+,1,0,0\.500,0\.000", csv);
        Assert.Contains("MentalHealth,2,5.00,6.50", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\"A\"", csv, StringComparison.Ordinal);
    }

    private async Task AddEvaluationsAsync(Guid courseId, int[] who5Start, int[] who5End, string paidStart, string paidEnd, int lifeStart, int lifeEnd)
    {
        await using var db = fixture.Services.GetRequiredService<CtiDbContextFactory>().Create();
        db.Evaluations.Add(Row(courseId, EvaluationKind.Baseline, UiBrowserFixture.Start, who5Start, paidStart, lifeStart));
        db.Evaluations.Add(Row(courseId, EvaluationKind.Final, UiBrowserFixture.Start.AddMonths(12), who5End, paidEnd, lifeEnd));
        await db.SaveChangesAsync();
    }

    private static EvaluationRecord Row(Guid courseId, EvaluationKind kind, DateTimeOffset date, int[] who5, string paid, int life)
    {
        var areas = Enum.GetValues<LifeArea>().ToDictionary(a => a.ToString(), a => a == LifeArea.MentalHealth ? life + 1 : life);
        return new EvaluationRecord
        {
            Id = Guid.NewGuid().ToString(), CourseId = courseId.ToString(), Kind = kind.ToString(), Date = date,
            Who5ItemsJson = JsonSerializer.Serialize(who5), Who5Score = who5.Sum() * 4, PaidForSexFrequency = paid,
            LifeSituationJson = JsonSerializer.Serialize(areas), LifeSituationTotal = areas.Values.Sum(),
        };
    }
}
