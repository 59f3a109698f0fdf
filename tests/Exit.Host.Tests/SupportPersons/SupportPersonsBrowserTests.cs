using Exit.Host.Tests.Browser;
using Exit.Host.Tests.Ui;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.SupportPersons;

public sealed class SupportPersonsBrowserFixture : UiBrowserFixture;

/// <summary>
/// The scheme in a real browser, as the acceptance says: a manager registers a support-and-contact person and
/// matches her to a citizen; she signs in, sees only that citizen's alias and logs a phone contact; the psychologist sees
/// the team's session of the month, records attendance and a note; the CTI worker sees that a contact happened but not
/// her note; a worker from another team sees nothing.
/// </summary>
public sealed class SupportPersonsBrowserTests(SupportPersonsBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<SupportPersonsBrowserFixture>
{
    private const string Volunteer = "frivillig1@exit.demo";
    private const string ContactNote = "Hun vil tale om at finde en bolig – fortroligt";
    private const string SupervisionNote = "Godt arbejde med at holde grænser";

    [BrowserFact]
    public async Task ManagerMatches_VolunteerLogsAContact_PsychologistHoldsTheSession_WorkersSeeOnlyWhatTheyMay()
    {
        var sofie = await fixture.StartCourseAsync("Sofie", UiBrowserFixture.WorkerA);
        var other = await fixture.StartCourseAsync("Tove", UiBrowserFixture.WorkerA);

        // The manager registers Mira, linked to the demo volunteer's account, and matches her to Sofie's course.
        var manager = await fixture.SignedInPageAsync(UiBrowserFixture.Manager, output);
        await manager.GotoAsync("/manager/support-persons");
        await manager.GetByLabel("Navn eller alias").FillAsync("Mira");
        await manager.GetByLabel("Team", new() { Exact = true }).FillAsync("Netværksgruppen");
        await manager.GetByLabel("Kan kontaktes i akutte situationer (hvordan og hvornår)").FillAsync("Telefon hverdage 9-21");
        await manager.GetByLabel("Tavshedserklæring underskrevet").FillAsync("2026-03-01");
        await manager.GetByLabel("Brugerkonto (e-mail, valgfri)").FillAsync(Volunteer);
        await manager.GetByRole(AriaRole.Button, new() { Name = "Registrér", Exact = true }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Status).First).ToContainTextAsync("registreret");
        await Assertions.Expect(manager.Locator("#skp-table")).ToContainTextAsync("Mira");
        await manager.GetByLabel("Forløb").SelectOptionAsync(new SelectOptionValue { Value = sofie.ToString() });
        await manager.GetByRole(AriaRole.Button, new() { Name = "Match", Exact = true }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Status).First).ToContainTextAsync("Matchet");
        Assert.DoesNotContain("Sofie", await manager.ContentAsync(), StringComparison.Ordinal); // manager pages show no citizen data
        await fixture.ScreenshotAsync(manager, "skp-manager-register", output);

        // Mira signs in: only Sofie's alias, no course, no CPR, no other citizen; she logs a phone call with a note.
        var volunteer = await fixture.SignedInPageAsync(Volunteer, output);
        await Assertions.Expect(volunteer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/volunteer$"));
        await Assertions.Expect(volunteer.GetByRole(AriaRole.Heading, new() { Name = "Sofie", Exact = true })).ToBeVisibleAsync();
        var content = await volunteer.ContentAsync();
        Assert.DoesNotContain("Tove", content, StringComparison.Ordinal);
        Assert.DoesNotContain(sofie.ToString(), content, StringComparison.Ordinal);
        await volunteer.GetByLabel("Type").SelectOptionAsync("Phone");
        await volunteer.GetByLabel("Varighed (minutter)").FillAsync("20");
        await volunteer.GetByLabel("Kort note").FillAsync(ContactNote);
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "Registrér kontakt" }).ClickAsync();
        await Assertions.Expect(volunteer.GetByRole(AriaRole.Status).First).ToContainTextAsync("Kontakten er registreret");
        await Assertions.Expect(volunteer.Locator("ul.contacts")).ToContainTextAsync(ContactNote);
        await Assertions.Expect(volunteer.Locator("ul.contacts")).ToContainTextAsync("Telefon");
        await fixture.ScreenshotAsync(volunteer, "skp-volunteer", output);
        // The worker pages and the task API are not hers.
        Assert.Equal(403, (await volunteer.GotoAsync($"/worker/courses/{sofie}"))!.Status);
        Assert.Equal(403, (await volunteer.APIRequest.GetAsync($"/api/courses/{sofie}/contacts")).Status);

        // The psychologist: the team's session of this month, Mira present, a note for her.
        var psychologist = await fixture.SignedInPageAsync("supervisor@exit.demo", output);
        await psychologist.GotoAsync("/supervisor/series");
        var team = psychologist.Locator("section.series").Filter(new() { HasText = "Team: Netværksgruppen" });
        await Assertions.Expect(team.GetByRole(AriaRole.Heading, new() { Name = "Månedens møde (2026-03-01)" })).ToBeVisibleAsync();
        await team.GetByLabel("Mira deltog").CheckAsync();
        await team.GetByLabel("Supervisionsnote for Mira (læses kun af dig og Mira)").FillAsync(SupervisionNote);
        await team.GetByRole(AriaRole.Button, new() { Name = "Registrér som afholdt" }).ClickAsync();
        await Assertions.Expect(psychologist.GetByRole(AriaRole.Status).First).ToContainTextAsync("afholdt");
        await Assertions.Expect(psychologist.Locator("section.series").Filter(new() { HasText = "Team: Netværksgruppen" }).Locator("table")).ToContainTextAsync("Afholdt");
        await fixture.ScreenshotAsync(psychologist, "skp-psychologist-series", output);

        // Mira sees her supervision date and her own note.
        await volunteer.GotoAsync("/volunteer");
        await Assertions.Expect(volunteer.Locator("#my-supervision")).ToContainTextAsync(SupervisionNote);
        await Assertions.Expect(volunteer.Locator("#my-supervision")).ToContainTextAsync("Deltog");

        // Sofie's CTI worker sees that a phone contact happened, not what Mira wrote.
        var worker = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerA, output);
        await worker.GotoAsync($"/worker/courses/{sofie}");
        var log = worker.Locator("#contact-log");
        await Assertions.Expect(log).ToContainTextAsync("Telefon");
        await Assertions.Expect(log.Locator("[data-note-withheld]")).ToHaveCountAsync(1);
        Assert.DoesNotContain(ContactNote, await worker.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(SupervisionNote, await worker.ContentAsync(), StringComparison.Ordinal);

        // A worker from another team: neither the course nor the volunteer's page.
        var stranger = await fixture.SignedInPageAsync(UiBrowserFixture.WorkerB, output);
        Assert.Equal(404, (await stranger.GotoAsync($"/worker/courses/{sofie}"))!.Status);
        Assert.DoesNotContain(ContactNote, await stranger.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(403, (await stranger.GotoAsync("/volunteer"))!.Status);
        Assert.Equal(404, (await stranger.APIRequest.GetAsync($"/api/courses/{sofie}/contacts")).Status);
        _ = other;
    }
}
