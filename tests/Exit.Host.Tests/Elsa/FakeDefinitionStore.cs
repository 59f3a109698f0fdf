using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;

namespace Exit.Host.Tests.Elsa;

/// <summary>A definition store over a list with Elsa's version-selector semantics.</summary>
public sealed class FakeDefinitionStore : IWorkflowDefinitionStore
{
    private readonly Lock _gate = new();
    public List<WorkflowDefinitionVersion> Versions { get; } = new();

    public static bool Matches(WorkflowDefinitionVersion v, VersionOptions? o) => (o ?? VersionOptions.AllVersions).Selector switch
    {
        VersionSelector.Latest => v.IsLatest,
        VersionSelector.Published => v.IsPublished,
        VersionSelector.LatestOrPublished => v.IsLatest || v.IsPublished,
        VersionSelector.LatestAndPublished => v.IsLatest && v.IsPublished,
        VersionSelector.Draft => !v.IsPublished,
        VersionSelector.Specific => v.Version == o!.Version,
        _ => true,
    };

    public Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(Versions.Where(v => v.DefinitionId == definitionId && Matches(v, versions)).MaxBy(v => v.Version));
    }

    public Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(Versions.FirstOrDefault(v => v.Id == versionId));
    }

    public Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct)
    {
        lock (_gate)
        {
            var rows = Versions.Where(v => Matches(v, filter.Versions)
                && (filter.SearchTerm is null || v.Name.Contains(filter.SearchTerm, StringComparison.OrdinalIgnoreCase))
                && (filter.DefinitionIds is null || filter.DefinitionIds.Contains(v.DefinitionId))
                && (filter.Ids is null || filter.Ids.Contains(v.Id))).ToList();
            var page = rows.Skip((int)Math.Min(int.MaxValue, (long)filter.Page * filter.PageSize)).Take(filter.PageSize).ToList();
            return Task.FromResult(new Page<WorkflowDefinitionVersion>(page, rows.Count));
        }
    }

    public Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct)
    {
        lock (_gate)
            foreach (var v in versions)
            {
                Versions.RemoveAll(x => x.Id == v.Id);
                Versions.Add(v);
            }
        return Task.CompletedTask;
    }

    public Task<int> DeleteAsync(string definitionId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(Versions.RemoveAll(v => v.DefinitionId == definitionId));
    }
}
