using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;

namespace Exit.Workflows.Triggers;

/// <summary>
/// The Event triggers of the published versions. Lists the published versions' headers on each lookup, so a
/// publish on another node counts at once; give it the runtime's caching store so the graphs are not re-read.
/// </summary>
public sealed class EventTriggerIndex(IWorkflowDefinitionStore store)
{
    private const int PageSize = 500;

    /// <summary>The published Event triggers listening for <paramref name="eventName"/> (ordinal, as bookmarks match).</summary>
    public async Task<IReadOnlyList<WorkflowTrigger>> FindAsync(string eventName, CancellationToken ct)
    {
        var found = new List<WorkflowTrigger>();
        // The caller's tenant's versions only (the store is filtered); the template library never starts instances.
        if (Tenancy.TenantScope.Current is null or Tenancy.TenantIds.Templates) return found;
        for (var page = 0; ; page++)
        {
            var published = await store.ListSummariesAsync(
                new DefinitionFilter(VersionOptions.Published, Page: page, PageSize: PageSize), ct).ConfigureAwait(false);
            foreach (var summary in published.Items)
            {
                var triggers = await TriggersOfAsync(summary.Id, ct).ConfigureAwait(false);
                found.AddRange(triggers.Where(t => t.ActivityType == WellKnownTypes.Event && t.Input == eventName));
            }
            if (published.Items.Count < PageSize) break;
        }
        return found;
    }

    private async Task<IReadOnlyList<WorkflowTrigger>> TriggersOfAsync(string versionId, CancellationToken ct)
    {
        var version = await store.FindByIdAsync(versionId, ct).ConfigureAwait(false);
        return version is null ? [] : TriggerDiscovery.Find(version);
    }
}
