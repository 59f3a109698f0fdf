using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 14, items 6 and 8: demo mode never meets real data (Production, a database with real users), the published
/// CPR key is never used outside demo mode, demo users go when demo mode is off; the service starts in Development.
/// </summary>
public sealed class StartupRefusalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-startup-tests", Guid.NewGuid().ToString("N"));

    public StartupRefusalTests() => Directory.CreateDirectory(_directory);

    private string DatabasePath => Path.Combine(_directory, "exit.db");

    [Fact]
    public async Task Demo_InTheProductionEnvironment_RefusesToStart()
    {
        var (code, error) = await HostProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Exit__Database__SqlitePath"] = DatabasePath,
        }, "--demo");

        Assert.NotEqual(0, code);
        Assert.Contains("Demo mode", error, StringComparison.Ordinal);
        Assert.Contains("Production", error, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath), "nothing was created");
    }

    [Fact]
    public async Task WithoutACprKey_OutsideDemoMode_RefusesToStart()
    {
        var (code, error) = await HostProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Exit__Database__SqlitePath"] = DatabasePath,
        });

        Assert.NotEqual(0, code);
        Assert.Contains("Exit:Cti:CprKey is not configured", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithoutADataProtectionCertificate_RefusesToStart()
    {
        var (code, error) = await HostProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Exit__Database__SqlitePath"] = DatabasePath,
            ["Exit__Cti__CprKey"] = TestApiKeys.CprKey,
        });

        Assert.NotEqual(0, code);
        Assert.Contains("Exit:DataProtection:CertificatePath", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_OnADatabaseWithRealUsers_RefusesToStart()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Exit__Database__SqlitePath"] = DatabasePath,
            ["EXIT_NEW_USER_PASSWORD"] = "a long real password",
        };
        var created = await HostProcess.RunUntilExitAsync(environment, "create-user", "--email", "real@kommune.dk", "--role", "worker");
        Assert.True(created.ExitCode == 0, created.Error);

        var (code, error) = await HostProcess.RunUntilExitAsync(environment, "--demo");

        Assert.NotEqual(0, code);
        Assert.Contains("Demo mode (--demo, Exit:Demo) refuses to start on this database", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoModeOff_RemovesTheDemoUsers()
    {
        using (var demo = Host(b => b.UseSetting("Exit:Demo", "true").UseSetting("Exit:DemoData", "false")))
        {
            Assert.Equal(IdentityStartup.DemoUsers.Count, await CountDemoUsersAsync(demo));
        }

        using var real = Host();

        Assert.Equal(0, await CountDemoUsersAsync(real));
    }

    [Fact]
    public async Task TheHost_StartsInTheDevelopmentEnvironment_WithScopeValidation()
    {
        using var host = Host(b => b.UseEnvironment("Development"));

        var health = await host.CreateClientAs(null).GetAsync("/health");

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        // A refused request to citizen data is audited through the per-request audit log (the former captive dependency).
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.CreateClientAs(ExitRoles.Coordinator).GetAsync("/api/tasks/some-task")).StatusCode);
    }

    private ExitHostFactory Host(Action<IWebHostBuilder>? configure = null) =>
        new(configure: b =>
        {
            b.UseSetting("Exit:Database:SqlitePath", DatabasePath);
            configure?.Invoke(b);
        });

    private static async Task<int> CountDemoUsersAsync(ExitHostFactory host)
    {
        using var scope = host.Services.CreateScope();
        var emails = IdentityStartup.DemoUsers.Select(d => d.Email.ToUpperInvariant()).ToList();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().Users.CountAsync(u => emails.Contains(u.NormalizedEmail!));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
