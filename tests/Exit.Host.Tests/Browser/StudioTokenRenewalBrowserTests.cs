using System.Collections.Concurrent;
using System.Net;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// A host whose bearer tokens live 90 seconds, so an open Studio page has to renew its token to keep working (long
/// enough for Studio's WebAssembly start on a busy machine, which must finish within the first token's life).
/// </summary>
public sealed class ShortTokenBrowserHostFixture : BrowserHostFixture
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(90);

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Exit:Auth:BearerTokenLifetime", Lifetime.ToString("c"));
}

/// <summary>
/// Issue 14, item 5: Studio's token is short-lived and renewed while the page is open. The editor stays open past
/// the first token's expiry, that token is refused by then, and publishing still works with the renewed one.
/// </summary>
public sealed class StudioTokenRenewalBrowserTests(ShortTokenBrowserHostFixture fixture, ITestOutputHelper output) : IClassFixture<ShortTokenBrowserHostFixture>
{
    [BrowserFact]
    public async Task AnOpenStudioPage_RenewsItsToken_AndKeepsWorkingAfterTheFirstOneExpired()
    {
        var page = await fixture.NewPageAsync(output);
        // Studio's writes (publishing saves and publishes): status and Authorization of each, read at once.
        var writes = new ConcurrentQueue<(string Path, int Status, Task<string?> Authorization)>();
        page.Response += (_, r) =>
        {
            if (r.Request.Method == "POST" && r.Url.Contains("/elsa/api/", StringComparison.Ordinal))
                writes.Enqueue((new Uri(r.Url).AbsolutePath, r.Status, r.Request.HeaderValueAsync("authorization")));
        };
        await fixture.SignInAsync(page, "koordinator@exit.demo", returnUrl: "/studio/");
        var list = page.Locator("elsa-workflow-definition-list");
        await list.GetByText("task-then-timer", new() { Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".x6-graph").First).ToBeVisibleAsync();
        var loaded = DateTimeOffset.UtcNow;
        var first = await page.Locator("elsa-backend-provider").First.GetAttributeAsync("access-token");
        Assert.False(string.IsNullOrEmpty(first));

        // Renewed at half its life; wait for a renewal and until the page's first token has certainly expired.
        await page.WaitForFunctionAsync("() => Number(document.documentElement.dataset.exitTokenRenewals || 0) >= 1", null, new() { Timeout = 120_000 });
        var left = loaded + ShortTokenBrowserHostFixture.Lifetime + TimeSpan.FromSeconds(2) - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero) await Task.Delay(left);
        using var stale = new HttpClient { BaseAddress = fixture.BaseAddress };
        stale.DefaultRequestHeaders.Authorization = new("Bearer", first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("elsa/api/workflow-definitions")).StatusCode);

        writes.Clear();
        await page.Locator("button.mud-icon-button:has(path[d^='M19.35'])").First.ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "published" }).First).ToBeVisibleAsync();
        Assert.NotEmpty(writes);
        foreach (var (path, status, authorization) in writes)
        {
            output.WriteLine($"{status} POST {path}");
            Assert.True(status < 400, $"{path} answered {status}");
            Assert.NotEqual("Bearer " + first, await authorization);
            Assert.StartsWith("Bearer ", await authorization, StringComparison.Ordinal);
        }
        await fixture.ScreenshotAsync(page, "studio-token-renewed", output);
    }
}
