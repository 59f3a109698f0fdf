using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// Starts Exit.Host on a real Kestrel port on 127.0.0.1 and a headless Debian chromium, once per test class
/// (<c>IClassFixture&lt;BrowserHostFixture&gt;</c> or a subclass). Override <see cref="ConfigureWebHost"/> to add
/// services or test endpoints. Pages get their own browser context; screenshots go to
/// <see cref="ScreenshotDirectory"/> (<c>&lt;test output&gt;/TestResults/screenshots</c>).
/// </summary>
public class BrowserHostFixture : IAsyncLifetime
{
    private KestrelHostFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Default for page actions and <c>Assertions.Expect</c> (Blazor WebAssembly needs seconds to start).</summary>
    public const int ExpectTimeoutMs = 60_000;

    /// <summary>Where <see cref="ScreenshotAsync"/> writes.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>http://127.0.0.1:{port}/ of the running host.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IServiceProvider Services => Factory.Services;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser was not started.");

    private KestrelHostFactory Factory => _factory ?? throw new InvalidOperationException("The host was not started.");

    public async Task InitializeAsync()
    {
        if (BrowserEnvironment.SkipReason is not null)
        {
            return; // every [BrowserFact] in the class is skipped; start nothing
        }

        if (!BrowserEnvironment.ChromiumAvailable)
        {
            throw new InvalidOperationException(BrowserEnvironment.MissingBrowserMessage);
        }

        _factory = new KestrelHostFactory(ConfigureWebHost);
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");

        // The first render downloads and starts the .NET WebAssembly runtime (seconds on 2 shared cores).
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(BrowserEnvironment.LaunchOptions);
    }

    /// <summary>Hook for subclasses: services, configuration, test-only endpoints.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    /// <summary>
    /// A page in a fresh browser context whose relative URLs resolve against <see cref="BaseAddress"/>.
    /// Console errors, page errors and failed requests are written to <paramref name="output"/>.
    /// </summary>
    public async Task<IPage> NewPageAsync(ITestOutputHelper? output = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(ExpectTimeoutMs);
        if (output is not null)
        {
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning")
                {
                    Log(output, $"[browser {message.Type}] {message.Text}");
                }
            };
            page.PageError += (_, error) => Log(output, $"[page error] {error}");
            page.RequestFailed += (_, request) => Log(output, $"[request failed] {request.Method} {request.Url} {request.Failure}");
        }

        return page;
    }

    /// <summary>Saves a full-page PNG as <c>{name}.png</c> in <see cref="ScreenshotDirectory"/> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper? output = null)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (output is not null)
        {
            Log(output, $"screenshot: {path}");
        }

        return path;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test already finished; late browser events have nowhere to go
        }
    }

    private sealed class KestrelHostFactory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configure(builder);
    }
}
