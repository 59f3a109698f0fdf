using System.Security.Claims;
using System.Text.Encodings.Web;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Tests.Browser;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

/// <summary>
/// The real Host on Kestrel with a fresh SQLite file, the shipped <c>cti-course</c> definition and a manual clock, plus
/// headless chromium. Users are signed in by <see cref="NewPageAsAsync"/>.
/// </summary>
public class UiBrowserFixture : BrowserHostFixture, IAsyncLifetime
{
    /// <summary>Monday 2 March 2026, 09:00 in Copenhagen.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-ui-tests", Guid.NewGuid().ToString("N"));

    public ManualTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Exit:Database:Provider", "Sqlite");
        builder.UseSetting("Exit:Database:SqlitePath", Path.Combine(_directory, "exit.db"));
        builder.UseSetting("Exit:Logging:Json", "false");
        builder.ConfigureServices(s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            TestSignIn.Register(s);
        });
    }

    /// <summary>A page in a fresh browser context signed in as <paramref name="user"/> with <paramref name="roles"/>.</summary>
    public async Task<IPage> NewPageAsAsync(string user, string roles, ITestOutputHelper output, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { [TestSignIn.UserHeader] = user, [TestSignIn.RolesHeader] = roles },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.PageError += (_, error) => output.WriteLine($"[page error] {error}");
        page.Console += (_, m) => { if (m.Type == "error") output.WriteLine($"[browser error] {m.Text}"); };
        return page;
    }

    /// <summary>Registers an anonymous citizen and starts a course for <paramref name="worker"/>; returns the course id.</summary>
    public async Task<Guid> StartCourseAsync(string alias, string worker)
    {
        using var scope = Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<CtiCourseService>();
        var citizen = await service.CreateCitizenAsync(alias, null, CancellationToken.None);
        return (await service.StartCourseAsync(citizen, worker, CourseGoal.Exit, null, 1m, CancellationToken.None)).CourseId;
    }

    public async Task ClosePhaseAsync(Guid courseId, CoursePeriod period)
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<CtiCourseService>().ClosePhaseAsync(courseId, period, CancellationToken.None);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// Test-only sign-in: the user and roles come from request headers the browser context sends. Stands in for the
/// cookie sign-in of the auth module in these tests (it is registered as the default scheme only here).
/// </summary>
public sealed class TestSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ExitUiTest";
    public const string UserHeader = "X-Exit-Test-User";
    public const string RolesHeader = "X-Exit-Test-Roles";

    public static void Register(IServiceCollection services) =>
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = SchemeName;
            o.DefaultAuthenticateScheme = SchemeName;
            o.DefaultChallengeScheme = SchemeName;
            o.DefaultForbidScheme = SchemeName;
        }).AddScheme<AuthenticationSchemeOptions, TestSignIn>(SchemeName, null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var user) || string.IsNullOrEmpty(user)) return Task.FromResult(AuthenticateResult.NoResult());
        var claims = new List<Claim> { new(ClaimTypes.Name, user.ToString()) };
        claims.AddRange(Request.Headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r.Trim())));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}
