using Microsoft.AspNetCore.Hosting;
using Exit.Host.Studio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit;

namespace Exit.Host.Tests.Browser;

/// <summary>Host + browser for the Studio tests: fake API (scaffolding) and a fixed access token.</summary>
public sealed class StudioBrowserFixture : BrowserHostFixture
{
    public const string AccessToken = "studio-test-token";

    public FakeElsaApi Api { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton<IStartupFilter>(Api);
        services.Configure<StudioOptions>(options => options.AccessTokenProvider = _ => AccessToken);
    });
}

public sealed class StudioBrowserTests(StudioBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<StudioBrowserFixture>
{
    [BrowserFact]
    public async Task Studio_DefinitionList_RendersFromTheApiWithTheAccessToken()
    {
        var page = await fixture.NewPageAsync(output);

        await page.GotoAsync("studio");

        var list = page.Locator("elsa-workflow-definition-list");
        await Assertions.Expect(list.GetByText(FakeElsaApi.DefinitionName)).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(list.GetByText("Create workflow", new() { Exact = false }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "studio-definition-list", output);

        Assert.Equal("/studio/", new Uri(page.Url).AbsolutePath); // Studio itself adds ?page=1&pageSize=10
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Workflows" })).ToHaveAttributeAsync("aria-current", "page");
        Assert.Contains(fixture.Api.Requests, r => r.PathAndQuery.StartsWith("/workflow-definitions?versionOptions=Latest", StringComparison.Ordinal));
        Assert.All(fixture.Api.Requests, r =>
        {
            Assert.Equal("Bearer " + StudioBrowserFixture.AccessToken, r.Authorization);
            Assert.True(r.Answered, $"the fake API has no answer for {r.Method} {r.PathAndQuery}");
        });
    }
}
