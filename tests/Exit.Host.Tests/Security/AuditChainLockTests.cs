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
/// Issue 11: several hosts append to the audit chains at once. The append lock is per municipality and lane: a writer
/// holding one lane's lock until its transaction commits (as a host's writer group does) keeps another writer of the
/// same municipality and lane waiting — so that lane stays one chain — and lets a writer of another municipality, or of
/// another lane of the same municipality (another host), through. Each writer here has a connection of its own, as two
/// hosts would.
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
    public async Task AnotherLanesAppend_OfTheSameMunicipality_DoesNotWaitForAnOpenAppendTransaction()
    {
        await using var holder = await OpenAppendTransactionAsync(TenantIds.Default, "held", lane: 1);

        // Would wait until the holder commits if the municipality's lanes shared one lock.
        await AppendAsync(TenantIds.Default, "other-lane", lane: 2).WaitAsync(Bound);

        Assert.Equal(1, await EntriesAsync(TenantIds.Default)); // only lane 2's; the holder has not committed yet
        await holder.CommitAsync();
        Assert.Equal((true, 2), await VerifyAsync(TenantIds.Default));
        Assert.Equal([1, 2], await LanesAsync(TenantIds.Default));
    }

    [DatabaseFact]
    public async Task TheSameLanesAppend_WaitsForTheOpenAppendTransaction_AndFollowsItInTheLanesChain()
    {
        await AppendAsync(TenantIds.Default, "other-lane-before", lane: 4);
        var holder = await OpenAppendTransactionAsync(TenantIds.Default, "first", lane: 3);
        var second = AppendAsync(TenantIds.Default, "second", lane: 3);

        await WaitUntilAnAdvisoryLockIsAwaitedAsync();
        Assert.False(second.IsCompleted);
        await holder.CommitAsync();
        await holder.DisposeAsync();
        await second.WaitAsync(Bound);
        await AppendAsync(TenantIds.Default, "other-lane-after", lane: 4);

        Assert.Equal((true, 4), await VerifyAsync(TenantIds.Default));
        Assert.Equal(["first", "second"], await ResourceIdsInChainOrderAsync(TenantIds.Default, lane: 3));
        // Each entry's hash follows its lane's previous entry, not the previous entry of the municipality.
        await using var db = await ContextAsync();
        using (TenantScope.Enter(TenantIds.Default))
        {
            var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
            Assert.Equal(AuditChain.Compute(entries[1].Hash, entries[2]), entries[2].Hash); // "second" after "first" (lane 3)
            Assert.Equal(AuditChain.Compute(entries[0].Hash, entries[3]), entries[3].Hash); // lane 4's second after its first
        }
    }

    [DatabaseFact]
    public async Task TwoWritersAppendingInTwoLanesOfOneMunicipalityAtOnce_LeaveIntactChains()
    {
        const int each = 30;
        // As two hosts would: one appends on its own (AuditLog's path), the other inside transactions it commits (the
        // writer group's path), each in its own lane.
        var alone = Task.Run(async () =>
        {
            for (var i = 0; i < each; i++) await AppendAsync(TenantIds.Default, $"alone-{i}", lane: 1);
        });
        var inTransaction = Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await using var transaction = await OpenAppendTransactionAsync(TenantIds.Default, $"in-transaction-{i}", lane: 2);
                await transaction.CommitAsync();
            }
        });
        await Task.WhenAll(alone, inTransaction).WaitAsync(Bound * 2);

        Assert.Equal((true, 2 * each), await VerifyAsync(TenantIds.Default));
        Assert.Equal([1, 2], await LanesAsync(TenantIds.Default));
    }

    [DatabaseFact]
    public Task AlteringAnEntryInTheFirstLane_IsReportedWithThatEntrysId() => AlteringAnEntry_IsReportedWithThatEntrysId(lane: 1);

    [DatabaseFact]
    public Task AlteringAnEntryInTheSecondLane_IsReportedWithThatEntrysId() => AlteringAnEntry_IsReportedWithThatEntrysId(lane: 2);

    private async Task AlteringAnEntry_IsReportedWithThatEntrysId(short lane)
    {
        await AppendInterleavedAsync(perLane: 4);
        var target = (await IdsAsync(TenantIds.Default, lane))[1];
        await ExecuteAsync($"UPDATE \"ExitAuditEntries\" SET \"Purpose\" = 'nothing to see' WHERE \"Id\" = {target}");

        var result = await VerifyFullyAsync(TenantIds.Default);

        Assert.False(result.Intact);
        Assert.Equal(target, result.FirstBrokenId);
    }

    [DatabaseFact]
    public async Task DeletingAMiddleEntryOfALane_IsReportedAtTheLanesNextEntry()
    {
        await AppendInterleavedAsync(perLane: 4);
        var lane2 = await IdsAsync(TenantIds.Default, 2);
        await ExecuteAsync($"DELETE FROM \"ExitAuditEntries\" WHERE \"Id\" = {lane2[1]}");

        var result = await VerifyFullyAsync(TenantIds.Default);

        Assert.False(result.Intact);
        Assert.Equal(lane2[2], result.FirstBrokenId);
        Assert.True((await VerifyFullyAsync(TenantIds.Templates)).Intact); // another municipality's log is untouched
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

    private static AuditEntry Entry(string tenantId, string resourceId, short lane) => new()
    {
        TenantId = tenantId,
        Lane = lane,
        At = DateTimeOffset.UtcNow,
        UserId = "u-1",
        Action = AuditAction.Read,
        ResourceType = "course",
        ResourceId = resourceId,
        Purpose = "casework",
        Outcome = AuditOutcome.Allowed,
    };

    private async Task AppendAsync(string tenantId, string resourceId, short lane = 0)
    {
        await using var db = await ContextAsync();
        using (TenantScope.Enter(tenantId))
            await AuditChain.AppendAsync(db, Entry(tenantId, resourceId, lane), CancellationToken.None);
    }

    private Task<ExitIdentityDbContext> ContextAsync() =>
        _host.Services.GetRequiredService<IDbContextFactory<ExitIdentityDbContext>>().CreateDbContextAsync();

    /// <summary>Entries of lanes 1 and 2 of the default municipality taking turns, and one of another municipality.</summary>
    private async Task AppendInterleavedAsync(int perLane)
    {
        for (var i = 0; i < perLane; i++)
        {
            await AppendAsync(TenantIds.Default, $"lane-1-{i}", lane: 1);
            await AppendAsync(TenantIds.Default, $"lane-2-{i}", lane: 2);
        }

        await AppendAsync(TenantIds.Templates, "elsewhere", lane: 2);
        Assert.Equal((true, 2 * perLane), await VerifyAsync(TenantIds.Default));
    }

    private async Task<long[]> IdsAsync(string tenantId, short lane)
    {
        await using var db = await ContextAsync();
        using (TenantScope.Enter(tenantId))
            return await db.AuditEntries.Where(e => e.Lane == lane).OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }

    private async Task<short[]> LanesAsync(string tenantId)
    {
        await using var db = await ContextAsync();
        using (TenantScope.Enter(tenantId))
            return await db.AuditEntries.Select(e => e.Lane).Distinct().OrderBy(l => l).ToArrayAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>An entry appended in a transaction left open on a connection of its own: it holds the municipality's lock.</summary>
    private async Task<OpenAppend> OpenAppendTransactionAsync(string tenantId, string resourceId, short lane = 0)
    {
        var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await AuditChain.AppendInTransactionAsync(connection, transaction, DatabaseProvider.Postgres, Entry(tenantId, resourceId, lane), CancellationToken.None);
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
        var result = await VerifyFullyAsync(tenantId);
        return (result.Intact, result.Checked);
    }

    private async Task<AuditChain.Verification> VerifyFullyAsync(string tenantId)
    {
        using var scope = _host.Services.CreateScope();
        using (TenantScope.Enter(tenantId))
            return await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>(), tail: null, CancellationToken.None);
    }

    private async Task<string[]> ResourceIdsInChainOrderAsync(string tenantId, short lane = 0)
    {
        using var scope = _host.Services.CreateScope();
        using (TenantScope.Enter(tenantId))
            return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.Where(e => e.Lane == lane).OrderBy(e => e.Id).Select(e => e.ResourceId ?? "").ToArrayAsync();
    }
}
