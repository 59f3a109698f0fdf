using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;

namespace Exit.Workflows.BuiltIns;

/// <summary>
/// Elsa.SetVariable: finds the variable by id only and stores the value converted to its type. A hidden variable
/// (<see cref="ScriptHiddenVariable"/>, a module's own state) is refused, as it is to scripts.
/// </summary>
public sealed class SetVariable(IEnumerable<ScriptHiddenVariable> hidden) : IActivity
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
        if (hidden.Any(h => string.Equals(h.Name, id, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"Variable '{id}' is kept by its module and cannot be set by a workflow.");
        context.SetVariable(id, context.GetInput<object>("Value"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
