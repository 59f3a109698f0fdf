using System.Text.RegularExpressions;
using Exit.Activities.Cti.Domain;
using Exit.Host.Tests.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class WorkerTaskBrowserFixture : UiBrowserFixture;

/// <summary>Acceptance: a worker opens an overdue task, fills in WHO-5 (score shown live), completes it and sees the next task.</summary>
public sealed class WorkerTaskBrowserTests(WorkerTaskBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<WorkerTaskBrowserFixture>
{
    [BrowserFact]
    public async Task Worker_OverdueWho5Task_ScoreShownLive_CompletedAndNextTaskAppears()
    {
        var courseId = await fixture.StartCourseAsync("Maja", UiBrowserFixture.WorkerA);
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.ContactPeriod); // phase 1 starts now: baseline evaluation due now
        fixture.Clock.Advance(TimeSpan.FromDays(3));

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await page.GotoAsync("worker/tasks");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mine opgaver" })).ToBeVisibleAsync();

        // Overdue first and marked with text, not colour alone.
        var rows = page.Locator("table.tasks tbody tr");
        await Assertions.Expect(rows.First).ToContainTextAsync("Overskredet");
        var baselineRow = rows.Filter(new() { HasText = "Startmåling" });
        await Assertions.Expect(baselineRow).ToContainTextAsync("Overskredet");
        await Assertions.Expect(baselineRow).ToContainTextAsync("Maja");
        await fixture.ScreenshotAsync(page, "ui-worker-tasks", output);

        await baselineRow.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Startmåling" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".meta")).ToContainTextAsync("Overskredet");

        var score = page.Locator("#who5-score");
        await Assertions.Expect(score).ToContainTextAsync("besvar alle fem");
        int[] answers = [3, 4, 2, 3, 3]; // raw 15 → score 60, normal wellbeing
        for (var i = 0; i < answers.Length; i++)
        {
            var question = page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex($"^{i + 1}\\. ") });
            await question.GetByLabel(answers[i].ToString(), new() { Exact = true }).CheckAsync();
        }

        await Assertions.Expect(score).ToHaveTextAsync("60 / 100 – normal trivsel");
        await page.GetByLabel("Har borgeren modtaget betaling").SelectOptionAsync("Several");
        var lifeAreas = page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^Livssituation") });
        var ratings = lifeAreas.GetByRole(AriaRole.Combobox);
        Assert.Equal(10, await ratings.CountAsync());
        await lifeAreas.GetByLabel("Psykisk helbred", new() { Exact = true }).SelectOptionAsync("4");
        await Assertions.Expect(page.Locator("#life-total")).ToContainTextAsync("(1/10)");
        for (var i = 0; i < 10; i++) await ratings.Nth(i).SelectOptionAsync("4");
        await Assertions.Expect(page.Locator("#life-total")).ToHaveTextAsync("Samlet: 40 af 100");
        await fixture.ScreenshotAsync(page, "ui-worker-who5-filled", output);

        var before = await page.Locator("table").CountAsync(); // (none on the task page)
        Assert.Equal(0, before);
        await page.GetByRole(AriaRole.Button, new() { Name = "Gem besvarelsen" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/worker/tasks\\?completed=true$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Opgaven er afsluttet");
        await Assertions.Expect(page.Locator("table.tasks tbody tr").Filter(new() { HasText = "Startmåling" })).ToHaveCountAsync(0);
        // The next task is now at the top of the list.
        var next = page.Locator("table.tasks tbody tr").First;
        await Assertions.Expect(next).ToBeVisibleAsync();
        await Assertions.Expect(next).ToContainTextAsync("Maja");
        await fixture.ScreenshotAsync(page, "ui-worker-next-task", output);

        // Phone width: the list stacks into cards, no sideways scrolling. With the baseline recorded nothing is overdue
        // any more (the course holds one next-contact task, due 9 March, instead of weekly meetings already past).
        var phone = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output, width: 390, height: 844);
        await phone.GotoAsync("worker/tasks");
        await Assertions.Expect(phone.Locator("table.tasks tbody tr").First).ToContainTextAsync("Næste kontakt senest 9. marts 2026");
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the task list scrolls sideways on a phone");
        await fixture.ScreenshotAsync(phone, "ui-worker-tasks-phone", output);

        // Language switch: English on request, remembered.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My tasks" })).ToBeVisibleAsync();
        await page.GotoAsync("worker/citizens");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My citizens" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Maja" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "ui-worker-citizens-en", output);
    }
}
