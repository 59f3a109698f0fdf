using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.End: terminal; completes its own flowchart, cancelling whatever still runs in it.</summary>
public sealed class End : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.End,
        Category = "Flow",
        DisplayName = "End",
        Description = "Ends the flowchart it is in.",
        IsTerminal = true,
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) => ValueTask.FromResult(ActivityResult.Done);
}
