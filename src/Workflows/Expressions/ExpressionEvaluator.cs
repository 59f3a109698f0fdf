using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Expressions;

/// <summary>The default evaluator: Literal, Object and Variable here, JavaScript through <see cref="JavaScriptEvaluator"/>.</summary>
public sealed class ExpressionEvaluator(JavaScriptEvaluator javaScript) : IExpressionEvaluator
{
    public object? Evaluate(InputValue? input, Type targetType, IExpressionScope scope)
    {
        if (input is null) return null;
        return input.ExpressionType switch
        {
            InputValue.Literal or "" => ValueConverter.Convert(input.Text, targetType),
            InputValue.Object => EvaluateObject(input.Text, targetType),
            InputValue.Variable => EvaluateVariable(input.Value, targetType, scope),
            InputValue.JavaScript => javaScript.Evaluate(input.Text ?? "", targetType, scope),
            _ => null,
        };
    }

    private static object? EvaluateObject(string? text, Type targetType)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (targetType == typeof(object)) return text;
        if (targetType == typeof(string) && !text.TrimStart().StartsWith('"')) return text;
        try
        {
            return ValueConverter.Convert(JsonNode.Parse(text), targetType);
        }
        catch (JsonException)
        {
            return ValueConverter.Convert(text, targetType);
        }
    }

    private static object? EvaluateVariable(JsonNode? reference, Type targetType, IExpressionScope scope)
    {
        var id = VariableReferenceId(reference);
        if (id is null) return null;
        var variable = scope.VisibleVariables.FirstOrDefault(v => v.Id == id);
        if (variable is null) return null;
        return ValueConverter.Convert(scope.GetVariableValue(variable), targetType);
    }

    /// <summary>The id of a variable reference given as an object <c>{id,…}</c> or as JSON text of one.</summary>
    public static string? VariableReferenceId(JsonNode? reference)
    {
        switch (reference)
        {
            case JsonObject o:
                return o["id"]?.GetValue<string>() ?? o["Id"]?.GetValue<string>();
            case JsonValue v when v.TryGetValue<string>(out var s):
                var t = s.Trim();
                if (!t.StartsWith('{')) return t.Length == 0 ? null : t;
                try { return VariableReferenceId(JsonNode.Parse(t)); }
                catch (JsonException) { return null; }
            default:
                return null;
        }
    }
}
