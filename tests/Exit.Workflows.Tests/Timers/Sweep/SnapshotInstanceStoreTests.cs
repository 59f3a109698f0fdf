using Exit.Workflows.Execution.InMemory;
using Exit.Workflows.Hosting;
using Exit.Workflows.Timers.Sweep;
using Exit.Workflows.Persistence;
using Xunit;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Timers.Sweep;

/// <summary>
/// A sweep's snapshot saves a resume its first reads only: once a read has been answered from the page, the same read
/// again (the runtime's reload after a concurrency conflict) must see the store as it is now.
/// </summary>
public sealed class SnapshotInstanceStoreTests
{
    [Fact]
    public async Task EachRead_AnsweredFromTheSnapshotOnce_ThenFromTheStore()
    {
        var inner = new InMemoryInstanceStore();
        var instance = Instance();
        var bookmark = Bookmark(instance.Id, kind: "Elsa.Delay", key: null, dueAt: T0);
        await inner.CommitAsync(new InstanceCommit(instance, null, [bookmark], [], [], []), default);
        var snapshot = new LoadedInstance(instance, [bookmark]);
        // The store moves on: the bookmark is resumed elsewhere.
        var moved = await inner.FindAsync(instance.Id, default);
        await inner.CommitAsync(new InstanceCommit(moved!, moved!.ConcurrencyVersion, [], [bookmark.Id], [], []), default);

        var store = new SnapshotInstanceStore(inner, bookmark, snapshot);

        Assert.Same(bookmark, Assert.Single(await store.FindBookmarksAsync(new BookmarkFilter(BookmarkId: bookmark.Id), default)));
        Assert.Same(instance, await store.FindAsync(instance.Id, default));
        Assert.Same(snapshot.Bookmarks, await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default));

        Assert.Empty(await store.FindBookmarksAsync(new BookmarkFilter(BookmarkId: bookmark.Id), default));
        Assert.Empty(await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default));
        Assert.NotSame(instance, await store.FindAsync(instance.Id, default));
    }
}
