using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Issue 11: several hosts append to the audit chains at once. The append lock is per municipality: a writer holding
/// one municipality's lock until its transaction commits (as a host's writer group does) keeps another writer of the
/// same municipality waiting — so that chain stays one chain — and lets a writer of another municipality through.
/// Each writer here has a connection of its own, as two hosts would.
/// </summary>
[RequiresPostgres]
public sealed class AuditChainLockTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // only so a wrong lock fails the test instead of hanging it

    private readonly PostgresHostDatabase _database = new();
    private ExitHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _host = await _database.CreateHostAsync();
        _ = _host.Services; // migrated
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [DatabaseFact]
    public async Task AnotherMunicipalitysAppend_DoesNotWaitForAnOpenAppendTransaction()
    {
        await using var holder = await OpenAppendTransactionAsync(TenantIds.Default, "held");

        // Would wait until the holder commits if both municipalities shared one lock.
        await AppendAsync(TenantIds.Templates, "other-municipality").WaitAsync(Bound);

        Assert.Equal(0, await EntriesAsync(TenantIds.Default)); // the holder has not committed yet
        await holder.CommitAsync();
        Assert.Equal((true, 1), await VerifyAsync(TenantIds.Default));
        Assert.Equal((true, 1), await VerifyAsync(TenantIds.Templates));
    }

    [DatabaseFact]
    public async Task TheSameMunicipalitysAppend_WaitsForTheOpenAppendTransaction_AndFollowsItInTheChain()
    {
        var holder = await OpenAppendTransactionAsync(TenantIds.Default, "first");
        var second = AppendAsync(TenantIds.Default, "second");

        await WaitUntilAnAdvisoryLockIsAwaitedAsync();
        Assert.False(second.IsCompleted);
        await holder.CommitAsync();
        await holder.DisposeAsync();
        await second.WaitAsync(Bound);

        Assert.Equal((true, 2), await VerifyAsync(TenantIds.Default));
        Assert.Equal(["first", "second"], await ResourceIdsInChainOrderAsync(TenantIds.Default));
    }

    [DatabaseFact]
    public async Task TwoWritersAppendingToOneMunicipalityAtOnce_LeaveOneIntactChain()
    {
        const int each = 30;
        // One writer appends on its own (AuditLog's path), the other inside transactions it commits (the writer group's path).
        var alone = Task.Run(async () =>
        {
            for (var i = 0; i < each; i++) await AppendAsync(TenantIds.Default, $"alone-{i}");
        });
        var inTransaction = Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await using var transaction = await OpenAppendTransactionAsync(TenantIds.Default, $"in-transaction-{i}");
                await transaction.CommitAsync();
            }
        });
        await Task.WhenAll(alone, inTransaction).WaitAsync(Bound * 2);

        Assert.Equal((true, 2 * each), await VerifyAsync(TenantIds.Default));
    }

    private static AuditEntry Entry(string tenantId, string resourceId) => new()
    {
        TenantId = tenantId,
        At = DateTimeOffset.UtcNow,
        UserId = "u-1",
        Action = AuditAction.Read,
        ResourceType = "course",
        ResourceId = resourceId,
        Purpose = "casework",
        Outcome = AuditOutcome.Allowed,
    };

    private async Task AppendAsync(string tenantId, string resourceId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ExitIdentityDbContext>>().CreateDbContextAsync();
        using (TenantScope.Enter(tenantId))
            await AuditChain.AppendAsync(db, Entry(tenantId, resourceId), CancellationToken.None);
    }

    /// <summary>An entry appended in a transaction left open on a connection of its own: it holds the municipality's lock.</summary>
    private async Task<OpenAppend> OpenAppendTransactionAsync(string tenantId, string resourceId)
    {
        var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await AuditChain.AppendInTransactionAsync(connection, transaction, DatabaseProvider.Postgres, Entry(tenantId, resourceId), CancellationToken.None);
        return new OpenAppend(connection, transaction);
    }

    private sealed class OpenAppend(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private string ConnectionString()
    {
        using var scope = _host.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().Database.GetConnectionString()!;
    }

    private async Task WaitUntilAnAdvisoryLockIsAwaitedAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            Assert.True(waited.Elapsed < Bound, "the second append never waited for the municipality's lock");
            await Task.Delay(20);
        }
    }

    private async Task<long> EntriesAsync(string tenantId)
    {
        using var scope = _host.Services.CreateScope();
        using (TenantScope.Enter(tenantId))
            return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.LongCountAsync();
    }

    private async Task<(bool Intact, long Checked)> VerifyAsync(string tenantId)
    {
        using var scope = _host.Services.CreateScope();
        using (TenantScope.Enter(tenantId))
        {
            var result = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>(), tail: null, CancellationToken.None);
            return (result.Intact, result.Checked);
        }
    }

    private async Task<string[]> ResourceIdsInChainOrderAsync(string tenantId)
    {
        using var scope = _host.Services.CreateScope();
        using (TenantScope.Enter(tenantId))
            return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.OrderBy(e => e.Id).Select(e => e.ResourceId ?? "").ToArrayAsync();
    }
}
