using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Host.Tests.Browser;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Ui;

/// <summary>
/// The real Host on Kestrel (demo mode on its own SQLite file, so the demo users exist) with a manual clock and the
/// shipped <c>cti-course</c> definition, plus headless chromium. People sign in through the real sign-in form.
/// </summary>
public class UiBrowserFixture : BrowserHostFixture
{
    /// <summary>Monday 2 March 2026, 09:00 in Copenhagen.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public const string WorkerA = "medarbejder1@exit.demo";
    public const string WorkerB = "medarbejder2@exit.demo";
    public const string Manager = "leder@exit.demo";

    public ManualTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));

    /// <summary>A fresh browser context signed in as <paramref name="email"/> (demo password), on the UI start page.</summary>
    public async Task<IPage> SignedInPageAsync(string email, ITestOutputHelper output, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.PageError += (_, error) => Log(output, $"[page error] {error}");
        page.Console += (_, m) => { if (m.Type == "error") Log(output, $"[browser error] {m.Text}"); };
        await SignInAsync(page, email, returnUrl: "/ui");
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
        var service = scope.ServiceProvider.GetRequiredService<CtiCourseService>();
        // The contact period ends with the decision (Afklaring) "continue"; the phases can be closed early.
        if (period == CoursePeriod.ContactPeriod) await service.DecideAsync(courseId, "Continue", null, CancellationToken.None);
        else await service.ClosePhaseAsync(courseId, period, CancellationToken.None);
    }

    private static void Log(ITestOutputHelper output, string line)
    {
        try { output.WriteLine(line); } catch (InvalidOperationException) { }
    }
}
