using System.Net;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Ui;

public sealed class OverdueRefreshAuditOnSqliteTests() : OverdueRefreshAuditTests(new SqliteHostDatabase());

[RequiresPostgres]
public sealed class OverdueRefreshAuditOnPostgresTests() : OverdueRefreshAuditTests(new PostgresHostDatabase());

/// <summary>
/// The overdue list refreshes itself every 30 seconds. The audit log says the manager looked, and kept looking, without
/// one entry per refresh; what a person asks for (opening or reloading the page) is always written. On both providers:
/// the repeat check is a query on the audit table.
/// </summary>
public abstract class OverdueRefreshAuditTests(IHostDatabase database) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private ExitHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        // Without a configured PostgreSQL the facts are skipped: start nothing.
        if (database is PostgresHostDatabase && PostgresTestDatabase.SkipReason is not null) return;
        _host = await database.CreateHostAsync(_clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [DatabaseFact]
    public async Task AutoRefreshes_WithinTenMinutesOfTheSameSearch_AreWrittenOnce()
    {
        var manager = _host.CreateClientAs(ExitRoles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/manager/overdue")).StatusCode);

        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/manager/overdue?sort=days&handler=Rows")).StatusCode);
        }

        Assert.Equal(1, await SearchesByAsync(ExitRoles.Manager));
    }

    [DatabaseFact]
    public async Task APageLeftOpen_IsWrittenAgainOnceTheWindowHasPassed()
    {
        var manager = _host.CreateClientAs(ExitRoles.Manager);
        await manager.GetAsync("/manager/overdue");

        _clock.Advance(AutoRefreshAudit.Window + TimeSpan.FromSeconds(30));
        await manager.GetAsync("/manager/overdue?sort=days&handler=Rows");
        await manager.GetAsync("/manager/overdue?sort=days&handler=Rows");

        Assert.Equal(2, await SearchesByAsync(ExitRoles.Manager));
    }

    [DatabaseFact]
    public async Task ReloadingThePage_IsAlwaysWritten_AndOneManagersEntryDoesNotCoverAnother()
    {
        var manager = _host.CreateClientAs(ExitRoles.Manager);
        var other = _host.CreateClient(); // every role, its own user

        await manager.GetAsync("/manager/overdue");
        await manager.GetAsync("/manager/overdue");
        await other.GetAsync("/manager/overdue?sort=days&handler=Rows");

        Assert.Equal(2, await SearchesByAsync(ExitRoles.Manager));
        Assert.Equal(1, await SearchesByAsync(TestApiKeys.AllRoles));
    }

    private async Task<int> SearchesByAsync(string role)
    {
        var user = TestApiKeys.UserNameFor(role);
        using var scope = _host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking()
            .CountAsync(e => e.UserName == user && e.ResourceType == "overdue-steps" && e.Action == AuditAction.Search);
    }
}
