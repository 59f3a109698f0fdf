using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Workflows.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Tenancy;

public sealed class SqliteTenantCommitTests() : TenantCommitTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
public sealed class PostgresTenantCommitTests() : TenantCommitTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>Env EXIT_TEST_SQLSERVER; never run here (no engine).</summary>
[RequiresSqlServer]
public sealed class SqlServerTenantCommitTests() : TenantCommitTests(async () => await SqlServerTestDatabase.CreateAsync());

/// <summary>
/// The group-commit writer batches commits of different municipalities into one transaction on its own loop. Each commit's
/// rows carry its instance's tenant, each commit participant runs inside that tenant (so a module's stamped rows are the
/// instance's municipality's, never a neighbour's in the batch), and raw reads answer only the caller's tenant.
/// </summary>
public abstract class TenantCommitTests(Func<Task<ITestDatabase>> createDatabase)
{
    private static readonly string[] Tenants = [TenantIds.Default, "aarhus", "odense"];

    [DatabaseFact]
    public async Task BatchedCommitsOfThreeMunicipalities_EachRowAndParticipantWriteInItsOwnTenant()
    {
        var recorder = new TenantRecorder { FirstCommitDelay = TimeSpan.FromMilliseconds(500) };
        await using var harness = await PersistenceHarness.CreateAsync(await createDatabase(),
            configureServices: s => s.AddSingleton<ICommitParticipant>(recorder));
        var expected = new Dictionary<string, string>();
        var commits = new List<Task>();
        // Queued together from many callers, so the writer takes them in shared batches (mixed tenants).
        for (var i = 0; i < 60; i++)
        {
            var tenant = Tenants[i % Tenants.Length];
            using var scope = TenantScope.Enter(tenant);
            var instance = StoreTestData.Instance();
            expected[instance.Id] = tenant;
            commits.Add(Task.Run(() => harness.Instances.CommitAsync(
                StoreTestData.StartCommit(instance, [new TenantSeen(instance.Id, tenant)]), CancellationToken.None)));
        }
        await Task.WhenAll(commits);

        Assert.Equal(expected, recorder.Committed.ToDictionary(x => x.Key, x => x.Value!));
        // The case that matters happened: one transaction wrote the effects of several municipalities' commits.
        Assert.Contains(recorder.TenantsByTransaction.Values, tenants => tenants.Distinct().Count() > 1);
        await using var db = await harness.ContextFactory.CreateDbContextAsync();
        // Every row of each commit carries its instance's tenant (read past the filter on purpose).
        var instances = await db.Instances.IgnoreQueryFilters().ToDictionaryAsync(x => x.Id, x => x.TenantId);
        Assert.Equal(expected, instances);
        foreach (var b in await db.Bookmarks.IgnoreQueryFilters().ToListAsync()) Assert.Equal(expected[b.InstanceId], b.TenantId);
        foreach (var j in await db.Journal.IgnoreQueryFilters().ToListAsync()) Assert.Equal(expected[j.InstanceId], j.TenantId);
    }

    [DatabaseFact]
    public async Task RawReads_AnswerOnlyTheCallersTenant_AndACommitCannotCrossTenants()
    {
        await using var harness = await PersistenceHarness.CreateAsync(await createDatabase());
        WorkflowInstance aarhus;
        using (TenantScope.Enter("aarhus"))
        {
            aarhus = StoreTestData.Instance();
            await harness.Instances.CommitAsync(StoreTestData.StartCommit(aarhus), CancellationToken.None);
        }
        var bookmarkId = (await InAsync("aarhus", () => harness.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: aarhus.Id), CancellationToken.None))).Single().Id;
        Assert.Equal("aarhus", (await InAsync("aarhus", () => harness.Instances.FindAsync(aarhus.Id, CancellationToken.None)))!.TenantId);

        using (TenantScope.Enter(TenantIds.Default))
        {
            Assert.Null(await harness.Instances.FindAsync(aarhus.Id, CancellationToken.None));
            Assert.Null(await harness.Instances.FindByBookmarkAsync(bookmarkId, CancellationToken.None));
            Assert.Empty(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: aarhus.Id), CancellationToken.None));
            Assert.Empty(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(BookmarkId: bookmarkId), CancellationToken.None));
            Assert.Empty(await harness.Instances.FindBookmarksAsync(new BookmarkFilter(Kind: "Elsa.Event", Key: "go"), CancellationToken.None));
            Assert.Empty((await harness.Instances.ListAsync(new InstanceFilter(), CancellationToken.None)).Items);
            // A commit of aarhus' instance from default's scope is refused before anything is written.
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => harness.Instances.CommitAsync(
                new InstanceCommit(aarhus, 1, [], [bookmarkId], [], []), CancellationToken.None));
        }
        Assert.NotNull(await InAsync("aarhus", () => harness.Instances.FindByBookmarkAsync(bookmarkId, CancellationToken.None)));
    }

    private static async Task<T> InAsync<T>(string tenant, Func<Task<T>> action)
    {
        using var scope = TenantScope.Enter(tenant);
        return await action();
    }
}
