using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// One stored version of a definition. <see cref="Json"/> is the whole Elsa definition document
/// (the model Studio saves and exports); <see cref="Graph"/> is parsed from it.
/// </summary>
public sealed class WorkflowDefinitionVersion
{
    public required string Id { get; init; }
    public required string DefinitionId { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public bool IsLatest { get; init; }
    public bool IsPublished { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required JsonObject Json { get; init; }
    public required WorkflowGraph Graph { get; init; }
}
