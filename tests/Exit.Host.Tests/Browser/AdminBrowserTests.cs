using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Exit.Host.Tests.Ui;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

public sealed class AdminBrowserFixture : UiBrowserFixture;

/// <summary>
/// Acceptance: the administrator signs in, lands on the admin pages, creates a user, gives them a role, creates an
/// API key (shown once, and it works) and revokes it (then it does not), searches the access log and sees the chain
/// check say the log is intact.
/// </summary>
public sealed class AdminBrowserTests(AdminBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<AdminBrowserFixture>
{
    private const string Admin = "admin@exit.demo";

    [BrowserFact]
    public async Task Admin_CreatesAUser_GivesARole_CreatesAndRevokesAKey_AndFindsTheLogIntact()
    {
        var page = await fixture.SignedInPageAsync(Admin, output);
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brugere", Exact = true })).ToBeVisibleAsync();

        // Create a user with the worker role.
        const string email = "ny.medarbejder@exit.demo";
        var create = page.Locator("form#create");
        await create.GetByLabel("E-mail").FillAsync(email);
        await create.GetByLabel("Første adgangskode").FillAsync("en lang nok adgangskode");
        await create.GetByLabel("CTI-medarbejder").CheckAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Opret bruger" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"Brugeren {email} er oprettet");
        var row = page.Locator($"tr[data-user='{email}']");
        await Assertions.Expect(row).ToContainTextAsync("Aktiv");

        // Give them the supervisor role as well.
        await row.GetByLabel("supervisor").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Gem roller" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync($"Rollerne for {email} er gemt");
        await Assertions.Expect(page.Locator($"tr[data-user='{email}']").GetByLabel("supervisor")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator($"tr[data-user='{email}']").GetByLabel("CTI-medarbejder")).ToBeCheckedAsync();
        await fixture.ScreenshotAsync(page, "ui-admin-users", output);

        // An API key owned by the new user, with a role they hold; shown once, and it signs in.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "API-nøgler" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API-nøgler", Exact = true })).ToBeVisibleAsync();
        var keyForm = page.Locator("form#create");
        await keyForm.GetByLabel("Navn").FillAsync("Fagsystem");
        await keyForm.GetByLabel("Ejer").SelectOptionAsync(new SelectOptionValue { Label = email });
        await keyForm.GetByLabel("supervisor").CheckAsync();
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Opret nøgle" }).ClickAsync();
        await Assertions.Expect(page.Locator("#new-key")).ToContainTextAsync("vises kun denne ene gang");
        var key = (await page.Locator("#new-key code").InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrEmpty(key));
        var keyRow = page.Locator("tr[data-key='Fagsystem']");
        await Assertions.Expect(keyRow).ToContainTextAsync(email);
        await Assertions.Expect(keyRow).ToContainTextAsync("Aktiv");
        await fixture.ScreenshotAsync(page, "ui-admin-api-key-created", output);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(key)).StatusCode);

        // Revoke it: the key stops working, and a reload no longer shows it.
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Tilbagekald" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Nøglen er tilbagekaldt");
        await Assertions.Expect(page.Locator("tr[data-key='Fagsystem']")).ToContainTextAsync("Tilbagekaldt");
        await Assertions.Expect(page.Locator("#new-key")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(key)).StatusCode);
        await fixture.ScreenshotAsync(page, "ui-admin-api-key-revoked", output);

        // The access log: the admin's changes, then the chain check.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Adgangslog" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Adgangslog", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Handling").SelectOptionAsync(new SelectOptionValue { Label = "Slettet" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Søg" }).ClickAsync();
        var revoked = page.Locator("#audit-entries tbody tr").Filter(new() { HasText = "API-nøgle" });
        await Assertions.Expect(revoked).ToHaveCountAsync(1);
        await Assertions.Expect(revoked).ToContainTextAsync(Admin);
        await Assertions.Expect(revoked).ToContainTextAsync("Slettet");
        await page.GetByLabel("Handling").SelectOptionAsync(new SelectOptionValue { Label = "Ændret" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Søg" }).ClickAsync();
        await Assertions.Expect(page.Locator("#audit-entries tbody tr").Filter(new() { HasText = "Bruger" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Hent som CSV" })).ToHaveAttributeAsync("href", new Regex("^/api/audit/export\\?action=Change$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Kontrollér kæden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chain-result")).ToContainTextAsync("Loggen er intakt");
        await Assertions.Expect(page.GetByLabel("Handling")).ToHaveValueAsync("Change"); // the check keeps the search
        await Assertions.Expect(page.Locator("#audit-entries tbody tr").Filter(new() { HasText = "Slettet" })).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "ui-admin-audit", output);
    }

    private async Task<HttpResponseMessage> MeAsync(string key)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return await client.GetAsync("/api/account/me");
    }
}
