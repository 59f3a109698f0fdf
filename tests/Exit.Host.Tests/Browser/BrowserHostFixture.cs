using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit;

namespace Exit.Host.Tests.Browser;

/// <summary>
/// Starts Exit.Host on a real Kestrel port on 127.0.0.1 and a headless Debian chromium, once per test class
/// (<c>IClassFixture&lt;BrowserHostFixture&gt;</c> or a subclass). The host runs in demo mode on its own SQLite
/// file: the demo users exist (<see cref="SignInAsync"/>) and the test API keys work (<see cref="CreateApiClient"/>).
/// Override <see cref="ConfigureWebHost"/> to add services or test endpoints. Pages get their own browser
/// context; screenshots go to <see cref="ScreenshotDirectory"/> (<c>&lt;test output&gt;/TestResults/screenshots</c>).
/// </summary>
public class BrowserHostFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-browser-tests", Guid.NewGuid().ToString("N"));
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

        Directory.CreateDirectory(_directory);
        _factory = new KestrelHostFactory(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Exit:Database:Provider", "Sqlite");
            builder.UseSetting("Exit:Database:SqlitePath", Path.Combine(_directory, "exit.db"));
            builder.UseSetting("Exit:Logging:Json", "false");
            builder.UseSetting("Exit:Demo", "true");
            builder.UseSetting("Exit:DemoData", "false");
            foreach (var (key, value) in TestApiKeys.Settings()) builder.UseSetting(key, value);
            ConfigureWebHost(builder);
        });
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

    /// <summary>
    /// Signs <paramref name="page"/>'s browser context in through the real sign-in form (<c>/account/login</c>) as
    /// a demo user (<c>koordinator@exit.demo</c>, <c>medarbejder1@exit.demo</c>, …; see README).
    /// </summary>
    public async Task SignInAsync(IPage page, string email, string password = IdentityStartup.DemoPassword, string returnUrl = "/")
    {
        await page.GotoAsync("account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Adgangskode").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log ind" }).ClickAsync();
        // Until the next page's response has arrived, not until its load event: twice in loaded CI runs a signed-in page's
        // load event did not come within the timeout although its URL had changed; what a test checks next waits by itself.
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal),
                new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"still on {page.Url} after signing in as {email}: {await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 })}", ex);
        }
    }

    /// <summary>An HTTP client for the API acting as <paramref name="role"/> (test API key), or anonymous when null.</summary>
    public HttpClient CreateApiClient(string? role)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        TestApiKeys.Authorize(client, role);
        return client;
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

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
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

        /// <summary>Scope validation on, as in Development: a captive dependency fails the test host.</summary>
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = true;
                o.ValidateOnBuild = true;
            });
            return base.CreateHost(builder);
        }
    }
}
