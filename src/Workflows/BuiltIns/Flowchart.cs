using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Flowchart, the container the engine runs with token semantics.</summary>
public static class Flowchart
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Flowchart,
        Category = "Workflows",
        DisplayName = "Flowchart",
        Description = "Activities connected by outcome ports.",
        IsContainer = true,
        IsBrowsable = false,
    };
}

/// <summary>Elsa.FlowNode, run by the engine: runs its body (usually a nested flowchart), then completes with Done.</summary>
public static class FlowNode
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.FlowNode,
        Category = "Flow",
        DisplayName = "Flow Node",
        Description = "Runs an embedded activity and continues when it is done.",
        IsContainer = true,
    };
}
