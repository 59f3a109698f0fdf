using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Host.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

public sealed class ContactLogBrowserFixture : UiBrowserFixture;

public sealed class BrokenRhythmBrowserFixture : UiBrowserFixture;

public sealed class DecisionBrowserFixture : UiBrowserFixture;

/// <summary>
/// Acceptance (issue 8): on a phone-sized screen a worker logs a phone call and then an accompaniment in phase 2, and
/// the next-contact date moves each time (fortnightly rhythm, moved off the weekend).
/// </summary>
public sealed class ContactLogBrowserTests(ContactLogBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<ContactLogBrowserFixture>
{
    [BrowserFact]
    public async Task Worker_LogsAPhoneCallAndAnAccompanimentInPhase2_AndSeesTheNextContactMove()
    {
        var courseId = await fixture.StartCourseAsync("Ida", UiBrowserFixture.WorkerA);
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.ContactPeriod); // decision "continue": phase 1 now
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.Phase1);        // phase 2 from Monday 2 March 09:00: next contact 16 March
        fixture.Clock.Advance(TimeSpan.FromDays(3));                         // Thursday 5 March 09:00

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output, width: 390, height: 844);
        await page.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(page.Locator("#course-status")).ToHaveTextAsync("Fase 2");
        await Assertions.Expect(page.Locator("#next-contact-date")).ToHaveTextAsync("16.03.2026");
        // The form's defaults: phone, now, 60 minutes.
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Type", new() { Exact = true })).ToHaveValueAsync("Phone");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Varighed (minutter)")).ToHaveValueAsync("60");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Tidspunkt")).ToHaveValueAsync("2026-03-05T09:00");
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Kort note").FillAsync("Ringede om jobcentret");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "the course page scrolls sideways on a phone");
        await fixture.ScreenshotAsync(page, "ui-worker-contact-form-phone", output);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrér kontakt" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Kontakten er registreret.");
        await Assertions.Expect(page.Locator("#next-contact-date")).ToHaveTextAsync("19.03.2026");
        await Assertions.Expect(page.Locator("#contact-log li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#contact-log")).ToContainTextAsync("Telefon");

        // Two days later (Saturday 7 March) the worker accompanies the citizen to the job centre: 90 minutes.
        fixture.Clock.Advance(TimeSpan.FromDays(2));
        page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output, width: 390, height: 844);
        await page.GotoAsync($"worker/courses/{courseId}");
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("Accompaniment");
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Varighed (minutter)").FillAsync("90");
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Sted").SelectOptionAsync("Other");
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByText("Deltagere og fokusområder").ClickAsync();
        await page.GetByRole(AriaRole.Region, new() { Name = "Registrér en kontakt" }).GetByLabel("Uddannelses- og arbejdsmarkedskompetencer").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrér kontakt" }).ClickAsync();

        // Fourteen days on is Saturday 21 March: the next contact is planned for Monday 23 March.
        await Assertions.Expect(page.Locator("#next-contact-date")).ToHaveTextAsync("23.03.2026");
        await Assertions.Expect(page.Locator("#contact-log li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#contact-log li").First).ToContainTextAsync("Ledsagelse til en aftale");
        await Assertions.Expect(page.Locator("#contact-log li").First).ToContainTextAsync("90 min.");
        await fixture.ScreenshotAsync(page, "ui-worker-contact-log-phase2", output);

        using var scope = fixture.Services.CreateScope();
        var tasks = await scope.ServiceProvider.GetRequiredService<TaskQueries>()
            .ListAsync(new TaskFilter(CorrelationId: courseId.ToString(), PageSize: 500), CancellationToken.None);
        var nextContacts = tasks.Items.Where(t => t.Kind == "cti.next-contact").ToList();
        Assert.Single(nextContacts, t => t.Status == HumanTaskStatus.Open);
        Assert.Equal(2, nextContacts.Count(t => t.Status == HumanTaskStatus.Completed));
    }
}

/// <summary>Acceptance (issue 8): the manager's overdue page shows a course whose contact rhythm was broken once the clock passes the due date.</summary>
public sealed class BrokenRhythmBrowserTests(BrokenRhythmBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrokenRhythmBrowserFixture>
{
    [BrowserFact]
    public async Task Manager_SeesTheNextContactOverdue_WhenTheRhythmIsBroken()
    {
        var courseId = await fixture.StartCourseAsync("Vera", UiBrowserFixture.WorkerA);
        await fixture.ClosePhaseAsync(courseId, CoursePeriod.ContactPeriod); // phase 1 from Monday 2 March 09:00, weekly: next contact 9 March 09:00
        fixture.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5));

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await page.GotoAsync("manager/overdue?refresh=1");
        var row = page.Locator("#overdue-region tbody tr").Filter(new() { HasText = "Næste kontakt" });
        await Assertions.Expect(row).ToHaveCountAsync(0);

        fixture.Clock.Advance(TimeSpan.FromMinutes(10)); // no contact logged: the rhythm is broken
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync(UiBrowserFixture.WorkerA);
        await Assertions.Expect(row).ToContainTextAsync("Fase 1");
        Assert.DoesNotContain("Vera", await page.Locator("#overdue-region").InnerTextAsync());
        await fixture.ScreenshotAsync(page, "ui-manager-overdue-rhythm-broken", output);
    }
}

/// <summary>Acceptance (issue 8): at the end of the contact period the worker decides "not motivated now" and the course ends with that reason.</summary>
public sealed class DecisionBrowserTests(DecisionBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<DecisionBrowserFixture>
{
    [BrowserFact]
    public async Task Worker_DecidesNotMotivatedNow_AndTheCourseEndsWithThatReason()
    {
        var courseId = await fixture.StartCourseAsync("Lina", UiBrowserFixture.WorkerA);
        fixture.Clock.Advance(TimeSpan.FromDays(42) + TimeSpan.FromHours(2)); // past the contact period's bound: nothing advanced by itself

        var page = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await page.GotoAsync($"worker/courses/{courseId}");
        await Assertions.Expect(page.Locator("#course-status")).ToHaveTextAsync("Kontaktskabelsesperiode");
        var decision = page.Locator("table").Filter(new() { HasText = "Afklaring" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Afklaring" });
        await Assertions.Expect(decision).ToContainTextAsync("Overskredet");
        await page.GetByLabel("Ikke motiveret nu").CheckAsync();
        await fixture.ScreenshotAsync(page, "ui-worker-decision", output);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrér afklaring" }).ClickAsync();

        await Assertions.Expect(page.Locator("#course-ending")).ToContainTextAsync("ikke motiveret nu");
        await Assertions.Expect(page.Locator("#course-status")).ToHaveTextAsync("Annulleret");
        await Assertions.Expect(page.Locator("#contact-form")).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "ui-worker-course-ended-not-motivated", output);

        using var scope = fixture.Services.CreateScope();
        var course = await scope.ServiceProvider.GetRequiredService<CtiCourseService>().GetCourseAsync(courseId, CancellationToken.None);
        Assert.Equal((CourseStatus.Cancelled, EndingReason.NotMotivatedNow, CourseOutcome.EndedAtClarification), (course.Status, course.Ending!.Reason, course.Outcome));
        var open = await scope.ServiceProvider.GetRequiredService<TaskQueries>()
            .ListAsync(new TaskFilter(CorrelationId: courseId.ToString(), Status: HumanTaskStatus.Open, PageSize: 500), CancellationToken.None);
        Assert.Empty(open.Items);
    }
}
