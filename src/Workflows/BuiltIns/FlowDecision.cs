using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.FlowDecision: completes with True or False.</summary>
public sealed class FlowDecision : IActivity
{
    public const string True = "True";
    public const string False = "False";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.FlowDecision,
        Category = "Branching",
        DisplayName = "Decision",
        Description = "Takes the True or the False branch depending on a condition.",
        Ports = [True, False],
        Inputs = [new InputDescriptor { Name = "Condition", ClrType = typeof(bool), TypeName = "Boolean", DefaultValue = false, UiHint = "singleline" }],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) =>
        ValueTask.FromResult(ActivityResult.Complete(context.GetInput<bool>("Condition") ? True : False));
}
