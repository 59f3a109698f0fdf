using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Start: marks where a flowchart begins; completes with Done.</summary>
public sealed class Start : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Start,
        Category = "Flow",
        DisplayName = "Start",
        Description = "Marks the start of a flowchart.",
        IsStart = true,
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) => ValueTask.FromResult(ActivityResult.Done);
}
