using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// An input as Elsa wraps it: <c>{"typeName":"String","expression":{"type":"Literal","value":"A"}}</c>.
/// A bare JSON primitive becomes a Literal built from its text, as in Elsa.
/// </summary>
public sealed record InputValue(string ExpressionType, JsonNode? Value, string? TypeName)
{
    public const string Literal = "Literal";
    public const string Object = "Object";
    public const string Variable = "Variable";
    public const string JavaScript = "JavaScript";

    /// <summary>The expression's value as text: strings as-is, other JSON as JSON text.</summary>
    public string? Text => Value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        _ => Value.ToJsonString(),
    };
}
