using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Definitions.Templates;

/// <summary>What adopting one template did in the current municipality.</summary>
/// <param name="DefinitionId">The template's definition id, which the municipality's own definition keeps.</param>
/// <param name="Status">Imported: a new published version of the municipality's definition; Unchanged: its latest (or
/// published) version already had the template's content.</param>
/// <param name="Version">The municipality's version afterwards.</param>
public sealed record TemplateAdoption(string DefinitionId, DefinitionImportStatus Status, WorkflowDefinitionVersion Version);

/// <summary>
/// The shared template library: definitions of tenant <see cref="TenantIds.Templates"/> that each municipality adopts as
/// its own definition (same definition id, its own versions) and may then adapt in Studio like any other. A municipality
/// never runs a template itself: instances start from its own versions only, so a change to the library reaches it only
/// when it adopts again.
/// </summary>
/// <remarks>
/// Adoption is an import into the municipality in scope (<see cref="DefinitionPublisher.ImportAsync"/>): validated,
/// published as a new version, or nothing when the municipality's version already has the template's content. The
/// template's version id is not reused (ids are keys of the whole installation).
/// </remarks>
public sealed class DefinitionTemplates(IWorkflowDefinitionStore store, DefinitionPublisher publisher)
{
    private const int PageSize = 500;

    /// <summary>The latest published version of every template, by name. Readable from any scope.</summary>
    public async Task<IReadOnlyList<WorkflowDefinitionSummary>> ListAsync(CancellationToken ct)
    {
        using var templates = TenantScope.Enter(TenantIds.Templates);
        var found = new List<WorkflowDefinitionSummary>();
        for (var page = 0; ; page++)
        {
            var items = await store.ListSummariesAsync(new DefinitionFilter(VersionOptions.Published, Page: page, PageSize: PageSize), ct).ConfigureAwait(false);
            found.AddRange(items.Items);
            if (items.Items.Count < PageSize) return found;
        }
    }

    /// <summary>
    /// Copies the latest published version of template <paramref name="definitionId"/> into the municipality in scope as a
    /// new published version of its own definition with the same id; unchanged when its latest version is identical.
    /// </summary>
    /// <exception cref="DefinitionNotFoundException">No template with that id is published.</exception>
    /// <exception cref="InvalidOperationException">The scope is the template library itself.</exception>
    public async Task<TemplateAdoption> AdoptAsync(string definitionId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionId);
        RequireMunicipality();
        var template = await PublishedTemplateAsync(definitionId, ct).ConfigureAwait(false)
                       ?? throw new DefinitionNotFoundException(definitionId);
        var result = await publisher.ImportAsync(template.Json.ToJsonString(), ct).ConfigureAwait(false);
        return new TemplateAdoption(definitionId, result.Status, result.Version);
    }

    /// <summary>Adopts every template of which the municipality in scope has no definition (no version at all) yet.</summary>
    public async Task<IReadOnlyList<TemplateAdoption>> AdoptMissingAsync(CancellationToken ct)
    {
        RequireMunicipality();
        var own = await OwnDefinitionIdsAsync(ct).ConfigureAwait(false);
        var adopted = new List<TemplateAdoption>();
        foreach (var template in await ListAsync(ct).ConfigureAwait(false))
        {
            if (own.Contains(template.DefinitionId)) continue;
            adopted.Add(await AdoptAsync(template.DefinitionId, ct).ConfigureAwait(false));
        }
        return adopted;
    }

    /// <summary>
    /// Adopts a template's newer version where the municipality still runs an earlier template version unchanged: its
    /// latest version is published and has the content of some template version but not the newest one. A definition the
    /// municipality adapted (content of no template version), or holds a draft of, is left alone. What start-up runs after
    /// importing the definitions folder into the library, so a changed file reaches the municipalities that never changed it.
    /// </summary>
    public async Task<IReadOnlyList<TemplateAdoption>> AdoptUpdatesAsync(CancellationToken ct)
    {
        RequireMunicipality();
        var adopted = new List<TemplateAdoption>();
        foreach (var template in await ListAsync(ct).ConfigureAwait(false))
        {
            var latest = await store.FindAsync(template.DefinitionId, VersionOptions.Latest, ct).ConfigureAwait(false);
            if (latest is not { IsPublished: true }) continue;
            IReadOnlyList<WorkflowDefinitionVersion> versions;
            using (TenantScope.Enter(TenantIds.Templates))
            {
                versions = (await store.ListAsync(new DefinitionFilter(VersionOptions.AllVersions, DefinitionIds: [template.DefinitionId],
                    PageSize: 1000), ct).ConfigureAwait(false)).Items;
            }
            var newest = versions.FirstOrDefault(v => v.Id == template.Id);
            if (newest is null || DefinitionPublisher.SameContent(newest.Json, latest.Json)) continue;
            if (!versions.Any(v => v.Version < newest.Version && DefinitionPublisher.SameContent(v.Json, latest.Json))) continue;
            adopted.Add(await AdoptAsync(template.DefinitionId, ct).ConfigureAwait(false));
        }
        return adopted;
    }

    private async Task<WorkflowDefinitionVersion?> PublishedTemplateAsync(string definitionId, CancellationToken ct)
    {
        using var templates = TenantScope.Enter(TenantIds.Templates);
        return await store.FindAsync(definitionId, VersionOptions.Published, ct).ConfigureAwait(false);
    }

    private async Task<HashSet<string>> OwnDefinitionIdsAsync(CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; ; page++)
        {
            var items = await store.ListSummariesAsync(new DefinitionFilter(VersionOptions.Latest, Page: page, PageSize: PageSize), ct).ConfigureAwait(false);
            foreach (var item in items.Items) ids.Add(item.DefinitionId);
            if (items.Items.Count < PageSize) return ids;
        }
    }

    private static void RequireMunicipality()
    {
        if (TenantScope.Required() == TenantIds.Templates)
            throw new InvalidOperationException("The template library adopts nothing: adopt templates in a municipality's scope.");
    }
}
