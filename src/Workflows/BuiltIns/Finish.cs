using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Finish: terminal; clears pending work and bookmarks and finishes the workflow.</summary>
public sealed class Finish : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Finish,
        Category = "Primitives",
        DisplayName = "Finish",
        Description = "Finishes the workflow: pending work and bookmarks are dropped.",
        IsTerminal = true,
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) => ValueTask.FromResult(ActivityResult.Done);
}
