using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// A definition document as read by <see cref="DefinitionJsonReader"/>: its identity fields, the executable
/// graph, the normalised document (what the API stores and returns) and the structural problems found.
/// </summary>
public sealed class ParsedDefinition
{
    public string? DefinitionId { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public int? Version { get; init; }
    public required WorkflowGraph Graph { get; init; }

    /// <summary>
    /// The normalised document: camelCase, every collection non-null, nodeIds filled, versions filled,
    /// connections in the nested form, old 3.0 properties moved or dropped, <c>$schema</c> dropped.
    /// Owned by this instance; clone it before changing it.
    /// </summary>
    public required JsonObject Document { get; init; }

    /// <summary>Structural problems found while reading (dangling connections, duplicate ids, missing ids…).</summary>
    public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];
}
