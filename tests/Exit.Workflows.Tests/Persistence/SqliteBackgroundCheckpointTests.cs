using Exit.Testing;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// SQLite with the WAL checkpointed in the background (<c>SqliteCheckpointEvery</c>): the WAL must start again from its
/// beginning while commits keep coming. A PASSIVE checkpoint on its own connection never lets it (the writer has always
/// appended more frames by the time it ends), and the WAL then held every page written since the start: 150 MB after
/// 10,000 starts in the bench.
/// </summary>
public sealed class SqliteBackgroundCheckpointTests
{
    [Fact]
    public async Task BackgroundCheckpoints_UnderContinuousCommits_KeepTheWalShort()
    {
        var database = SqliteTestDatabase.Create();
        await using var h = await PersistenceHarness.CreateAsync(database, o => o.SqliteCheckpointEvery = 50);
        const int callers = 16, perCaller = 200;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++) await h.Instances.CommitAsync(StoreTestData.StartCommit(), default);
        })));

        var wal = new FileInfo(database.Path + "-wal");
        var written = callers * perCaller;
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        var stored = await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM wf_instances").SingleAsync();
        Assert.Equal(written, stored);
        // 3,200 starts write ~50 MB of WAL frames; with the WAL restarted after each background checkpoint it holds a few
        // hundred commits at most.
        Assert.True(wal.Exists && wal.Length < 8 * 1024 * 1024, $"WAL is {wal.Length / 1024} KB after {written} commits");
    }
}
