using System.Text.RegularExpressions;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Host.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class ManagerOverdueBrowserFixture : UiBrowserFixture;

/// <summary>Acceptance: a manager sees a step turn overdue after the clock passes its due date (the page refreshes itself) and reassigns it.</summary>
public sealed class ManagerOverdueBrowserTests(ManagerOverdueBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<ManagerOverdueBrowserFixture>
{
    [BrowserFact]
    public async Task Manager_StepTurnsOverdueWhenTheClockPassesItsDueDate_AndIsReassigned()
    {
        var courseId = await fixture.StartCourseAsync("Sara", UiBrowserFixture.WorkerA);
        fixture.Clock.Advance(TimeSpan.FromDays(3));
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.ContactPeriod); // baseline evaluation due now, not yet overdue

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/overdue?refresh=1");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overskredne skridt i teamet" })).ToBeVisibleAsync();
        var baseline = page.Locator("#overdue-region tbody tr").Filter(new() { HasText = "Startmåling" });
        await Assertions.Expect(baseline).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "ui-manager-overdue-before", output);

        // Within the 30-minute sign-in idle timeout (the cookie runs on the same clock).
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));

        // No reload: the table refreshes by itself.
        await Assertions.Expect(baseline).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(baseline).ToContainTextAsync(UiBrowserFixture.WorkerA);
        await Assertions.Expect(baseline).ToContainTextAsync("Over frist");
        await Assertions.Expect(baseline).ToContainTextAsync("Fase 1");
        Assert.DoesNotContain("Sara", await page.Locator("#overdue-region").InnerTextAsync()); // managers see no citizen data here
        await fixture.ScreenshotAsync(page, "ui-manager-overdue-after", output);

        // Filter by step type, then reassign.
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("cti.evaluation.baseline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrér" }).ClickAsync();
        await Assertions.Expect(page.Locator("#overdue-region tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#overdue-region tbody tr").First.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Overdrag:") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overdrag opgave" })).ToBeVisibleAsync();
        await page.GetByLabel("Ny medarbejder").FillAsync(UiBrowserFixture.WorkerB);
        await fixture.ScreenshotAsync(page, "ui-manager-reassign", output);
        await page.GetByRole(AriaRole.Button, new() { Name = "Overdrag" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Overdraget til " + UiBrowserFixture.WorkerB);
        await Assertions.Expect(page.Locator("#overdue-region tbody tr").Filter(new() { HasText = "Startmåling" })).ToContainTextAsync(UiBrowserFixture.WorkerB);
        await fixture.ScreenshotAsync(page, "ui-manager-overdue-reassigned", output);

        using var scope = fixture.Services.CreateScope();
        var open = await scope.ServiceProvider.GetRequiredService<TaskQueries>()
            .ListAsync(new TaskFilter(CorrelationId: courseId.ToString(), Status: HumanTaskStatus.Open, PageSize: 500), CancellationToken.None);
        var task = Assert.Single(open.Items, t => t.Kind == "cti.evaluation.baseline");
        Assert.Equal(UiBrowserFixture.WorkerB, task.Assignee);

        // Caseload against the limit and the outcome report render for the manager.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sagsbelastning" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = UiBrowserFixture.WorkerA })).ToContainTextAsync("1 / 20");
        await fixture.ScreenshotAsync(page, "ui-manager-caseload", output);
        await page.GetByRole(AriaRole.Link, new() { Name = "Resultater" }).ClickAsync();
        await Assertions.Expect(page.Locator("svg#chart-who5")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "ui-manager-report", output);
    }
}
