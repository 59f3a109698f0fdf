using System.Text.RegularExpressions;
using Exit.Host.Tests.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class CourseActionsBrowserFixture : UiBrowserFixture;

/// <summary>A worker starts an anonymous course from the keyboard, pauses and resumes it, and ends the contact period early with the decision "continue".</summary>
public sealed class CourseActionsBrowserTests(CourseActionsBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<CourseActionsBrowserFixture>
{
    [BrowserFact]
    public async Task Worker_StartsAnonymousCourse_PausesResumes_AndClosesThePhaseEarly()
    {
        var page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await page.GetByRole(AriaRole.Link, new() { Name = "Start forløb" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start et forløb for en ny borger" })).ToBeVisibleAsync();

        // Keyboard only: alias, no CPR (anonymous), goal by arrow key, Enter submits.
        await page.GetByLabel("Alias (kaldenavn)").FocusAsync();
        await page.Keyboard.TypeAsync("Nora");
        await page.Keyboard.PressAsync("Tab"); // CPR: left empty
        await page.Keyboard.PressAsync("Tab"); // goal radios
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByLabel("Forbedre livssituationen")).ToBeCheckedAsync();
        await fixture.ScreenshotAsync(page, "ui-worker-new-course", output);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forløb for Nora" })).ToBeVisibleAsync();
        var status = page.Locator("#course-status");
        await Assertions.Expect(status).ToHaveTextAsync("Kontaktskabelsesperiode");

        await page.GetByLabel("Årsag").SelectOptionAsync("Hospitalisation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sæt forløbet på pause" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Forløbet er opdateret.");
        await Assertions.Expect(status).ToHaveTextAsync("På pause");
        await page.GetByRole(AriaRole.Button, new() { Name = "Genoptag forløbet" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Kontaktskabelsesperiode");

        // The contact period has no "close early": it ends with the decision (Afklaring).
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Afslut Kontaktskabelsesperiode før tid") })).ToHaveCountAsync(0);
        await page.GetByLabel("Fortsætter: i målgruppen og motiveret").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrér afklaring" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Fase 1");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Kontaktskabelse" })).ToContainTextAsync("Overstået");
        await Assertions.Expect(page.Locator("table").Filter(new() { HasText = "Startmåling" }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "ui-worker-course-phase1", output);

        // Phase 1 asks for the activity plan: made in its task form, it becomes part of the course.
        await Assertions.Expect(page.Locator("#plan-empty")).ToBeVisibleAsync();
        var courseUrl = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "Aktivitetsplan" }).ClickAsync();
        foreach (var area in new[] { "Bolig", "Økonomi", "Psykisk helbred" }) await page.GetByLabel(area, new() { Exact = true }).CheckAsync();
        await page.Locator("#activity0-text").FillAsync("Søg boligstøtte");
        await page.Locator("#activity0-area").SelectOptionAsync("Economy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Udført" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/worker/tasks"));
        await page.GotoAsync(courseUrl);
        await Assertions.Expect(page.Locator("#activity-plan")).ToContainTextAsync("Søg boligstøtte");
        await Assertions.Expect(page.Locator("#activity-plan")).ToContainTextAsync("Økonomi");
        await Assertions.Expect(page.Locator("#focus-Phase1")).ToContainTextAsync("Økonomi, Bolig, Psykisk helbred");
        await fixture.ScreenshotAsync(page, "ui-worker-course-activity-plan", output);

        // The new citizen is in "Mine borgere" with the course's phases.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mine borgere" }).ClickAsync();
        var card = page.Locator("section.card").Filter(new() { HasText = "Nora" });
        await Assertions.Expect(card).ToContainTextAsync("Fase 1: planlægning og igangsættelse");
        await fixture.ScreenshotAsync(page, "ui-worker-citizens", output);
    }
}
