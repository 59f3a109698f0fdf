using Exit.Workflows.Persistence;

namespace Exit.Workflows.Definitions;

/// <summary>
/// A thread-safe <see cref="IWorkflowDefinitionStore"/> in memory, for tests and single-process runs.
/// Documents are copied on the way in and out, so callers cannot change stored versions by accident.
/// <see cref="SaveAsync"/> refuses a batch that would leave a definition with two latest or two published
/// versions, or two versions with the same number.
/// </summary>
public sealed class InMemoryDefinitionStore : IWorkflowDefinitionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WorkflowDefinitionVersion> _byId = new(StringComparer.Ordinal);

    public Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        lock (_lock)
        {
            var found = _byId.Values
                .Where(v => v.DefinitionId == definitionId && Matches(v, versions))
                .MaxBy(v => v.Version);
            return Task.FromResult(found is null ? null : Copy(found));
        }
    }

    public Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_byId.TryGetValue(versionId, out var v) ? Copy(v) : null);
        }
    }

    public Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct)
    {
        lock (_lock)
        {
            var versions = filter.Versions ?? VersionOptions.AllVersions;
            var query = _byId.Values.Where(v => Matches(v, versions));
            if (filter.DefinitionIds is { Count: > 0 } definitionIds) query = query.Where(v => definitionIds.Contains(v.DefinitionId));
            if (filter.Ids is { Count: > 0 } ids) query = query.Where(v => ids.Contains(v.Id));
            if (!string.IsNullOrWhiteSpace(filter.SearchTerm))
            {
                var term = filter.SearchTerm.Trim();
                query = query.Where(v =>
                    v.Name.Contains(term, StringComparison.OrdinalIgnoreCase) ||
                    (v.Description?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false) ||
                    v.DefinitionId.Contains(term, StringComparison.OrdinalIgnoreCase));
            }

            var ordered = filter.Descending
                ? query.OrderByDescending(v => v.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(v => v.DefinitionId, StringComparer.Ordinal).ThenByDescending(v => v.Version)
                : query.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ThenBy(v => v.DefinitionId, StringComparer.Ordinal).ThenBy(v => v.Version);
            var all = ordered.ToList();
            var pageSize = Math.Max(1, filter.PageSize);
            var items = all.Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize).Select(Copy).ToList();
            return Task.FromResult(new Page<WorkflowDefinitionVersion>(items, all.Count));
        }
    }

    public Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, WorkflowDefinitionVersion>(_byId, StringComparer.Ordinal);
            foreach (var v in versions) next[v.Id] = Copy(v);
            foreach (var definitionId in versions.Select(v => v.DefinitionId).Distinct(StringComparer.Ordinal))
            {
                var all = next.Values.Where(v => v.DefinitionId == definitionId).ToList();
                if (all.Count(v => v.IsLatest) > 1)
                    throw new InvalidOperationException($"Definition '{definitionId}' would have more than one latest version.");
                if (all.Count(v => v.IsPublished) > 1)
                    throw new InvalidOperationException($"Definition '{definitionId}' would have more than one published version.");
                if (all.GroupBy(v => v.Version).FirstOrDefault(g => g.Count() > 1) is { } clash)
                    throw new InvalidOperationException($"Definition '{definitionId}' would have two versions numbered {clash.Key}.");
            }
            _byId.Clear();
            foreach (var (id, v) in next) _byId[id] = v;
        }
        return Task.CompletedTask;
    }

    public Task<int> DeleteAsync(string definitionId, CancellationToken ct)
    {
        lock (_lock)
        {
            var ids = _byId.Values.Where(v => v.DefinitionId == definitionId).Select(v => v.Id).ToList();
            foreach (var id in ids) _byId.Remove(id);
            return Task.FromResult(ids.Count);
        }
    }

    private static bool Matches(WorkflowDefinitionVersion v, VersionOptions options) => options.Selector switch
    {
        VersionSelector.Latest => v.IsLatest,
        VersionSelector.Published => v.IsPublished,
        VersionSelector.LatestOrPublished => v.IsLatest || v.IsPublished,
        VersionSelector.LatestAndPublished => v.IsLatest && v.IsPublished,
        VersionSelector.Draft => !v.IsPublished,
        VersionSelector.AllVersions => true,
        VersionSelector.Specific => v.Version == options.Version,
        _ => false,
    };

    private static WorkflowDefinitionVersion Copy(WorkflowDefinitionVersion v) => new()
    {
        Id = v.Id,
        DefinitionId = v.DefinitionId,
        Version = v.Version,
        Name = v.Name,
        Description = v.Description,
        IsLatest = v.IsLatest,
        IsPublished = v.IsPublished,
        CreatedAt = v.CreatedAt,
        Json = (System.Text.Json.Nodes.JsonObject)v.Json.DeepClone(),
        Graph = v.Graph,
    };
}
