namespace Exit.Workflows.Definitions;

/// <summary>A workflow or flowchart variable. <see cref="Value"/> is the designer's initial value as text.</summary>
public sealed record VariableDefinition(
    string Id,
    string Name,
    string TypeName,
    bool IsArray,
    string? Value,
    string? StorageDriverTypeName);
