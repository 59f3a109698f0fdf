using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Persistence;

/// <summary>Which versions of a definition a query means (Elsa's VersionOptions).</summary>
public enum VersionSelector { Latest, Published, LatestOrPublished, LatestAndPublished, Draft, AllVersions, Specific }

public sealed record VersionOptions(VersionSelector Selector, int? Version = null)
{
    public static readonly VersionOptions Latest = new(VersionSelector.Latest);
    public static readonly VersionOptions Published = new(VersionSelector.Published);
    public static readonly VersionOptions LatestOrPublished = new(VersionSelector.LatestOrPublished);
    public static readonly VersionOptions AllVersions = new(VersionSelector.AllVersions);

    /// <summary>Parses Elsa's query value; empty means any version, as Studio's instance list needs.</summary>
    public static VersionOptions Parse(string? text) => text?.Trim() switch
    {
        null or "" => AllVersions,
        var t when int.TryParse(t, out var n) => new(VersionSelector.Specific, n),
        var t when Enum.TryParse<VersionSelector>(t, ignoreCase: true, out var s) => new(s),
        var t => throw new FormatException($"Unknown versionOptions '{t}'."),
    };
}

public sealed record DefinitionFilter(
    VersionOptions? Versions = null,
    string? SearchTerm = null,
    IReadOnlyCollection<string>? DefinitionIds = null,
    IReadOnlyCollection<string>? Ids = null,
    int Page = 0,
    int PageSize = 50,
    bool Descending = false);

/// <summary>
/// Stored definition versions. At most one version of a definition is latest and at most one is published;
/// saving a draft over a published latest creates a new version; publishing a draft unpublishes the previous.
/// </summary>
public interface IWorkflowDefinitionStore
{
    Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versions, CancellationToken ct);
    Task<WorkflowDefinitionVersion?> FindByIdAsync(string versionId, CancellationToken ct);
    Task<Page<WorkflowDefinitionVersion>> ListAsync(DefinitionFilter filter, CancellationToken ct);

    /// <summary>Stores the versions exactly as given (ids, numbers and flags decided by the caller) in one transaction.</summary>
    Task SaveAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, CancellationToken ct);

    Task<int> DeleteAsync(string definitionId, CancellationToken ct);

    /// <summary>
    /// Whether a version with this id exists in any tenant. Version ids are keys of the whole installation while reads
    /// see one tenant, so a new version's id is checked here (a Studio save of a template, a file imported by a second
    /// municipality, carry ids another tenant already holds). The default asks <see cref="FindByIdAsync"/> (stores
    /// without tenants); decorators pass it on.
    /// </summary>
    async Task<bool> VersionIdExistsAsync(string versionId, CancellationToken ct) =>
        await FindByIdAsync(versionId, ct).ConfigureAwait(false) is not null;

    /// <summary>
    /// Like <see cref="ListAsync"/> but header columns only (no JSON, no graph): what definition lists should use.
    /// The default implementation maps <see cref="ListAsync"/>; stores override it to skip the document.
    /// </summary>
    async Task<Page<WorkflowDefinitionSummary>> ListSummariesAsync(DefinitionFilter filter, CancellationToken ct)
    {
        var page = await ListAsync(filter, ct).ConfigureAwait(false);
        return new Page<WorkflowDefinitionSummary>(page.Items.Select(WorkflowDefinitionSummary.From).ToList(), page.TotalCount);
    }
}

/// <summary>A definition list row: header columns only.</summary>
public sealed record WorkflowDefinitionSummary(
    string Id, string DefinitionId, int Version, string Name, string? Description, bool IsLatest, bool IsPublished, DateTimeOffset CreatedAt)
{
    public static WorkflowDefinitionSummary From(WorkflowDefinitionVersion v) =>
        new(v.Id, v.DefinitionId, v.Version, v.Name, v.Description, v.IsLatest, v.IsPublished, v.CreatedAt);
}

/// <summary>Turns a stored definition document back into its executable graph (the JSON reader implements this).</summary>
public interface IWorkflowGraphParser
{
    WorkflowGraph Parse(JsonObject json);
}

/// <summary>An <see cref="IWorkflowGraphParser"/> over a delegate, e.g. <c>json => DefinitionJsonReader.Parse(json.ToJsonString()).Graph</c>.</summary>
public sealed class DelegateWorkflowGraphParser(Func<JsonObject, WorkflowGraph> parse) : IWorkflowGraphParser
{
    public WorkflowGraph Parse(JsonObject json) => parse(json);
}
