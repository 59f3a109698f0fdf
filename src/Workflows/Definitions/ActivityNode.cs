using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// One activity of a workflow graph as read from Elsa 3 definition JSON. Unknown JSON properties are kept
/// in <see cref="Raw"/> so that nothing a designer wrote is lost when the definition is stored again.
/// </summary>
public sealed class ActivityNode
{
    public required string Id { get; init; }
    public required string NodeId { get; init; }
    public string? Name { get; init; }
    public required string Type { get; init; }
    public int Version { get; init; } = 1;

    /// <summary>Inputs keyed by their camelCase JSON name, as Studio writes them.</summary>
    public IReadOnlyDictionary<string, InputValue> Inputs { get; init; } = new Dictionary<string, InputValue>();

    public JsonObject CustomProperties { get; init; } = new();

    /// <summary>Children of a container (Elsa.Flowchart); empty for plain activities.</summary>
    public IReadOnlyList<ActivityNode> Activities { get; init; } = [];
    public IReadOnlyList<FlowConnection> Connections { get; init; } = [];
    public IReadOnlyList<VariableDefinition> Variables { get; init; } = [];

    /// <summary>The embedded body of an Elsa.FlowNode (usually a nested flowchart).</summary>
    public ActivityNode? Body { get; init; }

    /// <summary>The activity's JSON exactly as it was read.</summary>
    public JsonObject Raw { get; init; } = new();

    public bool IsContainer => Activities.Count > 0 || Type == WellKnownTypes.Flowchart;

    public string? CustomString(string name) =>
        CustomProperties.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public override string ToString() => $"{Type}#{Id}";
}
