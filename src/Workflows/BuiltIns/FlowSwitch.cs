using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.BuiltIns;

/// <summary>
/// Elsa.FlowSwitch: <c>cases</c> is a plain array of <c>{label, condition:{type, value}}</c>. MatchFirst (default)
/// completes with the first case whose condition is true, MatchAny with all of them; none matching gives Default.
/// </summary>
public sealed class FlowSwitch : IActivity
{
    public const string TypeName = "Elsa.FlowSwitch";
    public const string Default = "Default";
    public const string MatchFirst = "MatchFirst";
    public const string MatchAny = "MatchAny";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = "Branching",
        DisplayName = "Switch",
        Description = "Takes the branch of the first (or every) case whose condition holds, else Default.",
        Inputs =
        [
            new InputDescriptor { Name = "Cases", ClrType = typeof(object), TypeName = "Object", UiHint = "flow-switch-editor", IsWrapped = false, Order = 0 },
            new InputDescriptor
            {
                Name = "Mode", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", DefaultValue = MatchFirst, Order = 1,
                Options = [new SelectOption("Match First", MatchFirst), new SelectOption("Match Any", MatchAny)],
            },
        ],
        DynamicPorts = node => [.. CasesOf(node).Select(c => c.Label).Distinct(StringComparer.Ordinal), Default],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var evaluator = context.Services.GetRequiredService<IExpressionEvaluator>();
        var scope = context as IExpressionScope
                    ?? throw new InvalidOperationException("FlowSwitch needs the runtime's execution context.");
        var matchAny = string.Equals(context.GetInput<string>("Mode"), MatchAny, StringComparison.OrdinalIgnoreCase);
        var matched = new List<string>();
        foreach (var (label, condition) in CasesOf(context.Node))
        {
            if (evaluator.Evaluate(condition, typeof(bool), scope) is not true) continue;
            matched.Add(label);
            if (!matchAny) break;
        }
        return ValueTask.FromResult(ActivityResult.Complete(matched.Count > 0 ? [.. matched] : [Default]));
    }

    private static IEnumerable<(string Label, InputValue? Condition)> CasesOf(ActivityNode node)
    {
        if (node.Raw["cases"] is not JsonArray cases) yield break;
        foreach (var c in cases.OfType<JsonObject>())
        {
            var label = c["label"] is JsonValue l && l.TryGetValue<string>(out var s) ? s : null;
            if (string.IsNullOrEmpty(label)) continue;
            InputValue? condition = c["condition"] switch
            {
                JsonObject e => new InputValue((e["type"] as JsonValue)?.GetValue<string>() ?? InputValue.Literal, e["value"]?.DeepClone(), "Boolean"),
                JsonValue v => new InputValue(InputValue.Literal, v.DeepClone(), "Boolean"),
                _ => null,
            };
            yield return (label, condition);
        }
    }
}
