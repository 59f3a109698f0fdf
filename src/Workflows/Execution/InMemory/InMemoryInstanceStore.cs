using System.Runtime.CompilerServices;
using System.Text.Json;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution.InMemory;

/// <summary>
/// A thread-safe in-memory <see cref="IWorkflowInstanceStore"/> for tests and quick dev runs. Instances are
/// stored as copies (a JSON round trip, so what is stored is what a database would hold); bookmarks and
/// journal records are kept apart from the state document; effects are recorded, not applied.
/// </summary>
public sealed class InMemoryInstanceStore : IWorkflowInstanceStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bookmark> _bookmarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JournalRecord>> _journal = new(StringComparer.Ordinal);
    private readonly List<object> _effects = new();

    /// <summary>Every effect committed so far, in commit order.</summary>
    public IReadOnlyList<object> Effects
    {
        get { lock (_lock) return _effects.ToList(); }
    }

    /// <summary>The stored state document of an instance, as JSON text (for size checks).</summary>
    public string? GetStateJson(string instanceId)
    {
        lock (_lock) return _instances.GetValueOrDefault(instanceId);
    }

    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var json) ? Deserialize(json) : null);
    }

    public Task CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(commit.Instance, Json);
        lock (_lock)
        {
            var exists = _instances.TryGetValue(commit.Instance.Id, out var currentJson);
            if (commit.ExpectedVersion is null && exists)
                throw new ConcurrencyConflictException($"Instance '{commit.Instance.Id}' already exists.");
            if (commit.ExpectedVersion is { } expected)
            {
                if (!exists) throw new ConcurrencyConflictException($"Instance '{commit.Instance.Id}' no longer exists.");
                var current = Deserialize(currentJson!);
                if (current.ConcurrencyVersion != expected)
                    throw new ConcurrencyConflictException(
                        $"Instance '{commit.Instance.Id}' is at version {current.ConcurrencyVersion}, not {expected}.");
            }
            _instances[commit.Instance.Id] = json;
            foreach (var id in commit.RemovedBookmarkIds) _bookmarks.Remove(id);
            foreach (var b in commit.AddedBookmarks) _bookmarks[b.Id] = b;
            if (!_journal.TryGetValue(commit.Instance.Id, out var journal)) _journal[commit.Instance.Id] = journal = new List<JournalRecord>();
            journal.AddRange(commit.Journal);
            _effects.AddRange(commit.Effects);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Bookmark>> FindBookmarksAsync(BookmarkFilter filter, CancellationToken ct)
    {
        lock (_lock)
        {
            IReadOnlyList<Bookmark> result = _bookmarks.Values.Where(b =>
                    (filter.InstanceId is null || b.InstanceId == filter.InstanceId)
                    && (filter.Kind is null || b.Kind == filter.Kind)
                    && (filter.Key is null || b.Key == filter.Key)
                    && (filter.CorrelationId is null || b.CorrelationId == filter.CorrelationId)
                    && (filter.BookmarkId is null || b.Id == filter.BookmarkId)
                    && (filter.DueBefore is null || (b.DueAt is { } due && due <= filter.DueBefore))
                    && (!filter.TimersOnly || b.DueAt is not null))
                .OrderBy(b => filter.DueBefore is null ? DateTimeOffset.MinValue : b.DueAt)
                .ThenBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
                .Take(filter.Take ?? int.MaxValue)
                .ToList();
            return Task.FromResult(result);
        }
    }

    public Task<Page<WorkflowInstanceSummary>> ListAsync(InstanceFilter filter, CancellationToken ct)
    {
        lock (_lock)
        {
            var all = _instances.Values.Select(Deserialize).Where(i =>
                    (filter.DefinitionId is null || i.DefinitionId == filter.DefinitionId)
                    && (filter.DefinitionIds is null || filter.DefinitionIds.Contains(i.DefinitionId))
                    && (filter.CorrelationId is null || i.CorrelationId == filter.CorrelationId)
                    && (filter.Status is null || i.Status == filter.Status)
                    && (filter.SubStatus is null || i.SubStatus == filter.SubStatus)
                    && (string.IsNullOrWhiteSpace(filter.SearchTerm)
                        || i.Id.Contains(filter.SearchTerm, StringComparison.OrdinalIgnoreCase)
                        || (i.Name?.Contains(filter.SearchTerm, StringComparison.OrdinalIgnoreCase) ?? false)
                        || (i.CorrelationId?.Contains(filter.SearchTerm, StringComparison.OrdinalIgnoreCase) ?? false)))
                .ToList();
            var ordered = filter.Descending ? all.OrderByDescending(i => i.CreatedAt) : all.OrderBy(i => i.CreatedAt);
            var items = ordered.Skip(filter.Page * filter.PageSize).Take(filter.PageSize)
                .Select(i => new WorkflowInstanceSummary(i.Id, i.DefinitionId, i.DefinitionVersionId, i.DefinitionVersion, i.CorrelationId,
                    i.Name, i.Status, i.SubStatus, i.Incidents.Count, i.CreatedAt, i.UpdatedAt, i.FinishedAt))
                .ToList();
            return Task.FromResult(new Page<WorkflowInstanceSummary>(items, all.Count));
        }
    }

    public Task<Page<JournalRecord>> GetJournalAsync(string instanceId, int skip, int take, CancellationToken ct)
    {
        lock (_lock)
        {
            var records = _journal.GetValueOrDefault(instanceId) ?? [];
            return Task.FromResult(new Page<JournalRecord>(records.Skip(skip).Take(take).ToList(), records.Count));
        }
    }

    public async IAsyncEnumerable<Bookmark> ListTimerBookmarksAsync([EnumeratorCancellation] CancellationToken ct)
    {
        List<Bookmark> timers;
        lock (_lock) timers = _bookmarks.Values.Where(b => b.DueAt is not null).OrderBy(b => b.DueAt).ToList();
        foreach (var b in timers)
        {
            ct.ThrowIfCancellationRequested();
            yield return b;
        }
        await Task.CompletedTask;
    }

    private static WorkflowInstance Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowInstance>(json, Json) ?? throw new InvalidOperationException("Corrupt instance document.");
}
