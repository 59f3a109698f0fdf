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
    public async Task Manager_OutcomeReport_OfTwoMeasuredCitizens_ShowsLessThanFive_AndExportsNoFigure()
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
        // Two measured citizens could be recognised: every paired figure is "<5" (the figures of a full cohort are checked
        // in Reports/ReportsBrowserTests and the calculator's tests).
        var shares = page.Locator("#shares-table");
        await Assertions.Expect(shares.GetByRole(AriaRole.Row).Filter(new() { HasText = "WHO-5" })).ToContainTextAsync("<5");
        await Assertions.Expect(shares.GetByRole(AriaRole.Row).Filter(new() { HasText = "Betaling" })).ToContainTextAsync("2 målt ved både start og slut");
        await Assertions.Expect(page.Locator("svg#chart-shares")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg#chart-areas title")).ToContainTextAsync("Psykisk helbred: Start <5");
        await fixture.ScreenshotAsync(page, "ui-manager-report-data", output);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Hent som CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var csv = await File.ReadAllTextAsync(path!);
        // Suppressed figures are left out of the export entirely.
        Assert.DoesNotContain("who5_risk_share_paired", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("life_area,MentalHealth", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("<5", csv, StringComparison.Ordinal);
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
