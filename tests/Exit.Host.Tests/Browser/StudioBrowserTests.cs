using Exit.Host.Infrastructure.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

/// <summary>The real Studio against the real Elsa API, signed in through the real sign-in form.</summary>
public sealed class StudioBrowserTests(BrowserHostFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserHostFixture>
{
    [BrowserFact]
    public async Task Studio_AsDemoCoordinator_ListsTheShippedDefinitions()
    {
        var page = await fixture.NewPageAsync(output);
        await fixture.SignInAsync(page, "koordinator@exit.demo", returnUrl: "/studio/");

        var list = page.Locator("elsa-workflow-definition-list");
        await Assertions.Expect(list.GetByText("task-then-timer").First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "studio-definition-list", output);
        Assert.Equal("/studio/", new Uri(page.Url).AbsolutePath);
    }

    [BrowserFact]
    public async Task Studio_AsDemoWorker_IsRefused()
    {
        var page = await fixture.NewPageAsync(output);
        await fixture.SignInAsync(page, "medarbejder1@exit.demo", returnUrl: "/studio/");

        Assert.Equal("/account/access-denied", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingen adgang", Exact = false })).ToBeVisibleAsync();
    }
}
