using Exit.Workflows.Hosting;
using Exit.Workflows.Timers.Sweep;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// What the due-timer sweep relies on from a page reader: paging by (due time, id) from a cursor returns every due timer
/// bookmark exactly once, in order, never one that is not due or not a timer, and each page carries the instances of
/// its bookmarks with all of their bookmarks (so a resume needs no further read).
/// </summary>
public abstract class DueTimerPageReaderContract : IAsyncLifetime
{
    private PersistenceHarness? _harness;

    private PersistenceHarness Harness => _harness ?? throw new InvalidOperationException("Not initialised.");

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    protected abstract IDueTimerPageReader CreateReader(PersistenceHarness harness);

    public async Task InitializeAsync() => _harness = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }

    [DatabaseFact]
    public async Task ReadDue_PagedByCursor_ReturnsEachDueTimerOnceInOrderWithItsInstanceAndAllItsBookmarks()
    {
        var now = T0.AddDays(1);
        var expected = new List<(DateTimeOffset Due, string Id, string InstanceId)>();
        var notDue = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var instance = Instance();
            // Three share one due time, so pages must break ties by id; one instance holds two due timers.
            var due = i < 3 ? now.AddHours(-1) : now.AddMinutes(-i);
            var timers = new List<Exit.Workflows.State.Bookmark> { Bookmark(instance.Id, kind: "Elsa.Delay", key: null, dueAt: due) };
            if (i == 4) timers.Add(Bookmark(instance.Id, kind: "Elsa.Delay", key: null, dueAt: due.AddSeconds(-1)));
            var later = Bookmark(instance.Id, kind: "Elsa.Delay", key: null, dueAt: now.AddSeconds(1));
            var task = Bookmark(instance.Id);
            await Harness.Instances.CommitAsync(new InstanceCommit(instance, null, [.. timers, later, task], [], [], []), default);
            expected.AddRange(timers.Select(b => (b.DueAt!.Value, b.Id, b.InstanceId)));
            notDue.Add(later.Id);
        }
        expected = expected.OrderBy(e => e.Due).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();

        var reader = CreateReader(Harness);
        var seen = new List<string>();
        DueTimerCursor? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await reader.ReadDueAsync(now, cursor, take: 3, default);
            foreach (var b in page.Due)
            {
                var loaded = page.Instances[b.InstanceId];
                Assert.Equal(b.InstanceId, loaded.Instance.Id);
                Assert.Equal(1, loaded.Instance.ConcurrencyVersion);
                Assert.Contains(loaded.Bookmarks, x => x.Id == b.Id);
                Assert.Contains(loaded.Bookmarks, x => x.Kind == "Elsa.Event");
                Assert.Contains(loaded.Bookmarks, x => notDue.Contains(x.Id));
            }
            seen.AddRange(page.Due.Select(b => b.Id));
            if (page.Due.Count < 3) break;
            cursor = DueTimerCursor.After(page.Due);
        }

        Assert.Equal(expected.Select(e => e.Id), seen);
    }
}

public sealed class SqliteEfDueTimerPageReaderTests : DueTimerPageReaderContract
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
    protected override IDueTimerPageReader CreateReader(PersistenceHarness harness) => new EfDueTimerPageReader(harness.ContextFactory);
}

[RequiresPostgres]
public sealed class PostgresEfDueTimerPageReaderTests : DueTimerPageReaderContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override IDueTimerPageReader CreateReader(PersistenceHarness harness) => new EfDueTimerPageReader(harness.ContextFactory);
}

/// <summary>The due-timer pages on SQL Server (no claims: one host per database there): env EXIT_TEST_SQLSERVER; never run here.</summary>
[RequiresSqlServer]
public sealed class SqlServerEfDueTimerPageReaderTests : DueTimerPageReaderContract
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await SqlServerTestDatabase.CreateAsync();
    protected override IDueTimerPageReader CreateReader(PersistenceHarness harness) => new EfDueTimerPageReader(harness.ContextFactory);
}

/// <summary>The fallback reader for stores other than EF, here over the EF store's interface.</summary>
public sealed class SqliteStoreDueTimerPageReaderTests : DueTimerPageReaderContract
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
    protected override IDueTimerPageReader CreateReader(PersistenceHarness harness) => new StoreDueTimerPageReader(harness.Instances);
}
