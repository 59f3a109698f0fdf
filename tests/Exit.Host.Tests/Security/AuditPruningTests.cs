using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Security;

/// <summary>
/// Retention of the audit log (<see cref="AuditPruning"/>): the expired part of each lane goes as a prefix and an anchor
/// says where the lane now starts, so the full and the tail check still call the kept part intact, and still name an
/// entry changed or removed after the pruning. On SQLite from the service, on PostgreSQL through the migration's function
/// (here called by the schema's owner; <see cref="PostgresRestrictedRoleRetentionTests"/> calls it as the service's role).
/// </summary>
public abstract class AuditPruningTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset Cutoff = Now.AddDays(-30);

    /// <summary>The hash each entry was written with (an anchor must carry its removed entry's).</summary>
    private readonly Dictionary<long, string?> _hashes = new();

    private ITestDatabase _database = null!;
    private ServiceProvider _provider = null!;

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        var configuration = new ConfigurationBuilder().Build();
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(configuration)
            .AddExitAuth(configuration, _database.Options)
            .BuildServiceProvider();
        await _provider.MigrateIdentityAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _database.DisposeAsync();
    }

    [DatabaseFact]
    public async Task PruningAnExpiredPrefix_LeavesAnAnchor_AndTheKeptPartVerifiesIntact()
    {
        var old = await AppendAsync(TenantIds.Default, lane: 0, "old-1", "old-2", "old-3");
        var kept = await AppendAsync(TenantIds.Default, lane: 0, Now.AddDays(-1), "kept-1", "kept-2");

        Assert.Equal(3, await PruneAsync(TenantIds.Default));

        Assert.Equal(kept, await IdsAsync(TenantIds.Default, lane: 0));
        var anchor = Assert.Single(await AnchorsAsync(TenantIds.Default));
        Assert.Equal(((short)0, old[^1], 3L, Cutoff.UtcTicks), (anchor.Lane, anchor.LastRemovedId, anchor.Removed, anchor.Cutoff.UtcTicks));
        Assert.Equal(_hashes[old[^1]], anchor.LastRemovedHash);
        Assert.Equal((true, 2L, (long?)null), await VerifyAsync(TenantIds.Default, tail: null));
        // The start-up check reaches the lane's start here (fewer entries than its tail): it starts from the anchor too.
        Assert.Equal((true, 2L, (long?)null), await VerifyAsync(TenantIds.Default, tail: 100));
    }

    [DatabaseFact]
    public async Task AKeptEntryChangedAfterThePruning_IsStillNamed()
    {
        await AppendAsync(TenantIds.Default, lane: 0, "old-1", "old-2");
        var kept = await AppendAsync(TenantIds.Default, lane: 0, Now.AddDays(-1), "kept-1", "kept-2");
        await PruneAsync(TenantIds.Default);

        await ExecuteAsync($"UPDATE \"ExitAuditEntries\" SET \"Purpose\" = 'nothing to see' WHERE \"Id\" = {kept[0]}");

        Assert.Equal((false, 1L, (long?)kept[0]), await VerifyAsync(TenantIds.Default, tail: null));
        Assert.Equal((false, 1L, (long?)kept[0]), await VerifyAsync(TenantIds.Default, tail: 100));
    }

    [DatabaseFact]
    public async Task TheFirstKeptEntryRemovedAfterThePruning_NamesTheNextAsNotFollowingTheAnchor()
    {
        await AppendAsync(TenantIds.Default, lane: 0, "old-1", "old-2");
        var kept = await AppendAsync(TenantIds.Default, lane: 0, Now.AddDays(-1), "kept-1", "kept-2", "kept-3");
        await PruneAsync(TenantIds.Default);

        await ExecuteAsync($"DELETE FROM \"ExitAuditEntries\" WHERE \"Id\" = {kept[0]}");

        Assert.Equal((false, 1L, (long?)kept[1]), await VerifyAsync(TenantIds.Default, tail: null));
    }

    [DatabaseFact]
    public async Task AnOldEntryAfterANewOne_IsKept_SoThePruningNeverCutsInsideTheLane()
    {
        // A host whose clock lagged wrote "late" after "new": removing every entry older than the cutoff would cut the lane
        // between "new" and the entry after "late".
        var first = await AppendAsync(TenantIds.Default, lane: 0, "old");
        var rest = await AppendAsync(TenantIds.Default, lane: 0, Now.AddDays(-1), "new");
        rest = [.. rest, .. await AppendAsync(TenantIds.Default, lane: 0, "late")];
        rest = [.. rest, .. await AppendAsync(TenantIds.Default, lane: 0, Now.AddDays(-1), "newer")];

        Assert.Equal(1, await PruneAsync(TenantIds.Default));

        Assert.Equal(rest, await IdsAsync(TenantIds.Default, lane: 0));
        Assert.Equal(first[0], Assert.Single(await AnchorsAsync(TenantIds.Default)).LastRemovedId);
        Assert.Equal((true, 3L, (long?)null), await VerifyAsync(TenantIds.Default, tail: null));
    }

    [DatabaseFact]
    public async Task ALaneWithOnlyExpiredEntries_KeepsItsNewest_AndTheNextAppendFollowsIt()
    {
        var old = await AppendAsync(TenantIds.Default, lane: 0, "old-1", "old-2", "old-3");

        Assert.Equal(2, await PruneAsync(TenantIds.Default));
        var next = await AppendAsync(TenantIds.Default, lane: 0, Now, "next");

        Assert.Equal([old[^1], next[0]], await IdsAsync(TenantIds.Default, lane: 0));
        Assert.Equal((true, 2L, (long?)null), await VerifyAsync(TenantIds.Default, tail: null));
    }

    [DatabaseFact]
    public async Task EachLaneAndOnlyTheMunicipalityInScope_IsPruned_AndAPruningAgainFindsNothing()
    {
        await AppendAsync(TenantIds.Default, lane: 1, "one-old");
        await AppendAsync(TenantIds.Default, lane: 1, Now.AddDays(-1), "one-kept");
        await AppendAsync(TenantIds.Default, lane: 2, "two-old-1", "two-old-2");
        await AppendAsync(TenantIds.Default, lane: 2, Now.AddDays(-1), "two-kept");
        var otherMunicipality = await AppendAsync(TenantIds.Templates, lane: 1, "other-old");
        otherMunicipality = [.. otherMunicipality, .. await AppendAsync(TenantIds.Templates, lane: 1, Now.AddDays(-1), "other-kept")];

        Assert.Equal(3, await PruneAsync(TenantIds.Default));
        Assert.Equal(0, await PruneAsync(TenantIds.Default));

        Assert.Equal([(short)1, (short)2], (await AnchorsAsync(TenantIds.Default)).Select(a => a.Lane).Order());
        Assert.Equal((true, 2L, (long?)null), await VerifyAsync(TenantIds.Default, tail: null));
        Assert.Equal(otherMunicipality, await IdsAsync(TenantIds.Templates, lane: 1));
        Assert.Empty(await AnchorsAsync(TenantIds.Templates));
    }

    [DatabaseFact]
    public async Task ACutoffThatIsNotInThePast_IsRefused_AndNothingIsRemoved()
    {
        var ids = await AppendAsync(TenantIds.Default, lane: 0, "old-1", "old-2");

        await using (var scope = _provider.CreateAsyncScope())
        using (TenantScope.Enter(TenantIds.Default))
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AuditPruning.PruneAsync(db, Now, Now, CancellationToken.None));
        }

        Assert.Equal(ids, await IdsAsync(TenantIds.Default, lane: 0));
        Assert.Empty(await AnchorsAsync(TenantIds.Default));
    }

    /// <summary>Entries written long before the cutoff (40 days before now).</summary>
    private Task<long[]> AppendAsync(string tenant, short lane, params string[] resourceIds) =>
        AppendAsync(tenant, lane, Now.AddDays(-40), resourceIds);

    private async Task<long[]> AppendAsync(string tenant, short lane, DateTimeOffset at, params string[] resourceIds)
    {
        var ids = new List<long>();
        await using var scope = _provider.CreateAsyncScope();
        using (TenantScope.Enter(tenant))
        {
            var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            foreach (var resourceId in resourceIds)
            {
                var entry = SampleAuditEntry.Read(resourceId, tenant, lane, at);
                await AuditChain.AppendAsync(db, entry, CancellationToken.None);
                var id = await db.AuditEntries.Where(e => e.ResourceId == resourceId).Select(e => e.Id).SingleAsync();
                _hashes[id] = entry.Hash;
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    private async Task<long> PruneAsync(string tenant)
    {
        await using var scope = _provider.CreateAsyncScope();
        using (TenantScope.Enter(tenant))
            return await AuditPruning.PruneAsync(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>(), Cutoff, Now, CancellationToken.None);
    }

    private async Task<(bool, long, long?)> VerifyAsync(string tenant, int? tail)
    {
        await using var scope = _provider.CreateAsyncScope();
        using (TenantScope.Enter(tenant))
        {
            var result = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>(), tail, CancellationToken.None);
            return (result.Intact, result.Checked, result.FirstBrokenId);
        }
    }

    private async Task<long[]> IdsAsync(string tenant, short lane)
    {
        await using var scope = _provider.CreateAsyncScope();
        using (TenantScope.Enter(tenant))
            return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries
                .Where(e => e.Lane == lane).OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }

    private async Task<List<AuditAnchor>> AnchorsAsync(string tenant)
    {
        await using var scope = _provider.CreateAsyncScope();
        using (TenantScope.Enter(tenant))
            return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditAnchors.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var scope = _provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}

public sealed class SqliteAuditPruningTests : AuditPruningTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresAuditPruningTests : AuditPruningTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
