using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;

namespace Exit.Workflows.Tests.Execution;

/// <summary>A minimal definition store for engine tests: versions as given, looked up by selector.</summary>
internal sealed class TestDefinitionStore : IWorkflowDefinitionStore
{
    private readonly List<WorkflowDefinitionVersion> _versions = new();
    private readonly Lock _lock = new();

    public Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        lock (_lock)
        {
            var all = _versions.Where(v => v.DefinitionId == definitionId);
            var found = versions.Selector switch
            {
                VersionSelector.Published => all.FirstOrDefault(v => v.IsPublished),
                VersionSelector.Latest => all.FirstOrDefault(v => v.IsLatest),
                VersionSelector.LatestOrPublished => all.FirstOrDefault(v => v.IsPublished) ?? all.FirstOrDefault(v => v.IsLatest),
                VersionSelector.Specific => all.FirstOrDefault(v => v.Version == versions.Version),
                VersionSelector.Draft => all.FirstOrDefault(v => !v.IsPublished),
                _ => all.OrderByDescending(v => v.Version).FirstOrDefault(),
            };
            return Task.FromResult(found);
        }
    }

    public Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_versions.FirstOrDefault(v => v.Id == versionId));
    }

    public Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(new Page<WorkflowDefinitionVersion>(_versions.ToList(), _versions.Count));
    }

    public Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var v in versions)
            {
                _versions.RemoveAll(x => x.Id == v.Id);
                _versions.Add(v);
            }
        }
        return Task.CompletedTask;
    }

    public Task<int> DeleteAsync(string definitionId, CancellationToken ct)
    {
        lock (_lock) return Task.FromResult(_versions.RemoveAll(v => v.DefinitionId == definitionId));
    }
}
