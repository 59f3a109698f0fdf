using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.SetVariable: finds the variable by id only and stores the value converted to its type.</summary>
public sealed class SetVariable : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.SetVariable,
        Category = "Primitives",
        DisplayName = "Set Variable",
        Description = "Assigns a value to a workflow variable.",
        Inputs =
        [
            new InputDescriptor { Name = "Variable", ClrType = typeof(object), TypeName = "Variable", UiHint = "variable-picker", IsWrapped = false, Order = 0 },
            new InputDescriptor { Name = "Value", ClrType = typeof(object), TypeName = "Object", UiHint = "variable-value", Order = 1 },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var reference = context.Node.Raw["variable"] ?? (context.Node.Inputs.TryGetValue("variable", out var input) ? input.Value : null);
        var id = ExpressionEvaluator.VariableReferenceId(reference is JsonObject o && o["expression"] is JsonObject e ? e["value"] : reference)
                 ?? throw new InvalidOperationException("SetVariable has no variable.");
        context.SetVariable(id, context.GetInput<object>("Value"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
