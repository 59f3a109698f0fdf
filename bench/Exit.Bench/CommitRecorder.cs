using System.Collections.Concurrent;
using System.Diagnostics;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Bench;

/// <summary>
/// Records when each commit that finished an instance was acknowledged (its task completed, i.e. after the durable
/// commit), so the timer phases can time resumed steps and check that no instance finished twice.
/// </summary>
public sealed class CommitRecorder
{
    private readonly ConcurrentDictionary<string, int> _finishes = new();
    private readonly ConcurrentQueue<long> _finishedAt = new();
    private long _finished;
    private long _duplicates;
    private int _target = int.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Finished => Interlocked.Read(ref _finished);
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Starts a new count; the returned task completes when <paramref name="target"/> instances have finished.</summary>
    public Task Expect(int target)
    {
        _finishedAt.Clear();
        _finishes.Clear();
        Interlocked.Exchange(ref _finished, 0);
        Interlocked.Exchange(ref _duplicates, 0);
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, target);
        if (target <= 0) _reached.TrySetResult();
        return _reached.Task;
    }

    public long[] FinishTimestamps() => [.. _finishedAt];

    internal void Committed(InstanceCommit commit)
    {
        if (commit.Instance.Status != WorkflowStatus.Finished) return;
        var now = Stopwatch.GetTimestamp();
        if (_finishes.AddOrUpdate(commit.Instance.Id, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref _duplicates);
        _finishedAt.Enqueue(now);
        if (Interlocked.Increment(ref _finished) >= Volatile.Read(ref _target)) _reached.TrySetResult();
    }
}

/// <summary>Forwards to the real store and tells the recorder about each acknowledged commit.</summary>
public sealed class RecordingInstanceStore(IWorkflowInstanceStore inner, CommitRecorder recorder) : IWorkflowInstanceStore
{
    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct) => inner.FindAsync(instanceId, ct);

    public async Task CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        await inner.CommitAsync(commit, ct);
        recorder.Committed(commit);
    }

    public Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct) => inner.FindBookmarksAsync(filter, ct);

    // Forwarded, or the interface's default (three separate reads) would run instead of the store's one round trip.
    public Task<InstanceWithBookmarks?> FindByBookmarkAsync(string bookmarkId, CancellationToken ct) => inner.FindByBookmarkAsync(bookmarkId, ct);
    public Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct) => inner.ListAsync(filter, ct);
    public Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct) => inner.GetJournalAsync(instanceId, skip, take, ct);
    public IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync(CancellationToken ct) => inner.ListTimerBookmarksAsync(ct);

    // Forwarded for the same reason: the sweep's page is three queries in the EF store, three reads per timer by default.
    public Task<DueTimerPage> ReadDueTimersAsync(DateTimeOffset dueBefore, DueTimerCursor? after, int take, CancellationToken ct) =>
        inner.ReadDueTimersAsync(dueBefore, after, take, ct);

    public Task<DateTimeOffset?> FindNextTimerDueAsync(DateTimeOffset after, CancellationToken ct) => inner.FindNextTimerDueAsync(after, ct);
}
