using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.FlowFork: completes with every branch name at once (null branches: Done).</summary>
public sealed class FlowFork : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.FlowFork,
        Category = "Branching",
        DisplayName = "Fork",
        Description = "Runs several branches at once.",
        Inputs = [new InputDescriptor { Name = "Branches", ClrType = typeof(string[]), TypeName = "String[]", UiHint = "dynamic-outcomes", DefaultSyntax = "Object" }],
        DynamicPorts = BranchesOf,
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var branches = context.GetInput<string[]>("Branches");
        return ValueTask.FromResult(branches is { Length: > 0 } ? ActivityResult.Complete(branches) : ActivityResult.Done);
    }

    /// <summary>The ports a fork node shows: its branches as written (no script is run for the designer).</summary>
    public static IReadOnlyList<string> BranchesOf(ActivityNode node)
    {
        if (!node.Inputs.TryGetValue("branches", out var input) || input.ExpressionType == InputValue.JavaScript) return ["Done"];
        var text = input.Text;
        if (string.IsNullOrWhiteSpace(text)) return ["Done"];
        var branches = ValueConverter.Convert(text, typeof(string[])) as string[];
        return branches is { Length: > 0 } ? branches : ["Done"];
    }
}
