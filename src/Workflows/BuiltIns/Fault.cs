using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Fault: throws, so the activity faults and an incident is recorded.</summary>
public sealed class Fault : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Fault,
        Category = "Primitives",
        DisplayName = "Fault",
        Description = "Faults the workflow with an incident.",
        Ports = [],
        Inputs =
        [
            new InputDescriptor { Name = "Code", ClrType = typeof(string), TypeName = "String", DefaultValue = "0", Order = 0 },
            new InputDescriptor { Name = "Category", ClrType = typeof(string), TypeName = "String", DefaultValue = "General", Order = 1 },
            new InputDescriptor { Name = "FaultType", ClrType = typeof(string), TypeName = "String", DefaultValue = "System", Order = 2 },
            new InputDescriptor { Name = "Message", ClrType = typeof(string), TypeName = "String", UiHint = "multiline", Order = 3 },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) =>
        throw new WorkflowFaultException(
            context.GetInput<string>("Code") ?? "0",
            context.GetInput<string>("Category") ?? "General",
            context.GetInput<string>("FaultType") ?? "System",
            context.GetInput<string>("Message") ?? "The workflow faulted.");
}

/// <summary>The exception an Elsa.Fault activity raises.</summary>
public sealed class WorkflowFaultException(string code, string category, string faultType, string message) : Exception(message)
{
    public string Code { get; } = code;
    public string Category { get; } = category;
    public string FaultType { get; } = faultType;
}
