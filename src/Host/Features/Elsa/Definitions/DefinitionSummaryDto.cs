using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>Elsa's <c>WorkflowDefinitionSummary</c> (CONTRACT §5.2): a list row, each with its own links.</summary>
public sealed record DefinitionSummaryDto(
    string Id, string DefinitionId, string Name, string? Description, int Version, bool IsLatest, bool IsPublished,
    DateTimeOffset CreatedAt, string MaterializerName, bool IsMaterializerAvailable, string? ToolVersion,
    IReadOnlyList<LinkDto> Links)
{
    public static DefinitionSummaryDto From(WorkflowDefinitionVersion v) => new(
        v.Id, v.DefinitionId, v.Name, v.Description, v.Version, v.IsLatest, v.IsPublished, v.CreatedAt,
        "Json", true, WorkflowDefinitionJson.ToolVersion, WorkflowDefinitionJson.Links(v.DefinitionId));
}

/// <summary>Elsa's paged list envelope; <c>links</c> must hold "bulk-publish" or the Studio list is read-only.</summary>
public sealed record PagedDefinitionsResponse(IReadOnlyList<DefinitionSummaryDto> Items, int TotalCount, IReadOnlyList<LinkDto> Links)
{
    public static readonly IReadOnlyList<LinkDto> ListLinks =
    [
        new("/bulk-actions/publish/workflow-definitions/by-definition-ids", "bulk-publish", "POST"),
        new("/bulk-actions/retract/workflow-definitions/by-definition-ids", "bulk-retract", "POST"),
        new("/bulk-actions/delete/workflow-definitions/by-definition-id", "bulk-delete-by-definition-id", "POST"),
        new("/workflow-definitions/import", "import", "POST"),
        new("/workflow-definitions/import-files", "import-files", "POST"),
        new("/workflow-definitions", "create", "POST"),
    ];
}
