using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Expressions;

/// <summary>Resolves Elsa variable type names (aliases or assembly-qualified names) to CLR types.</summary>
public static class VariableTypes
{
    private static readonly Dictionary<string, Type> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Int16"] = typeof(short), ["Int32"] = typeof(int), ["Int64"] = typeof(long), ["Long"] = typeof(long),
        ["Single"] = typeof(float), ["Double"] = typeof(double), ["Decimal"] = typeof(decimal),
        ["Boolean"] = typeof(bool), ["String"] = typeof(string), ["Object"] = typeof(object),
        ["ByteArray"] = typeof(byte[]), ["JSON"] = typeof(JsonNode), ["JsonNode"] = typeof(JsonNode), ["JsonObject"] = typeof(JsonObject),
        ["Guid"] = typeof(Guid), ["DateTime"] = typeof(DateTime), ["DateTimeOffset"] = typeof(DateTimeOffset),
        ["TimeSpan"] = typeof(TimeSpan), ["DateOnly"] = typeof(DateOnly), ["TimeOnly"] = typeof(TimeOnly),
        ["Byte"] = typeof(byte), ["Char"] = typeof(char),
    };

    /// <summary>The CLR type for a variable, or null when the type name is unknown (Elsa drops such variables).</summary>
    public static Type? Resolve(VariableDefinition variable)
    {
        var element = Resolve(variable.TypeName);
        if (element is null) return null;
        return variable.IsArray ? element.MakeArrayType() : element;
    }

    public static Type? Resolve(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName)) return null;
        var name = typeName.Trim();
        if (Aliases.TryGetValue(name, out var t)) return t;
        // Assembly-qualified or full names of the same types: "System.Int32, System.Private.CoreLib".
        var comma = name.IndexOf(',');
        var full = comma >= 0 ? name[..comma].Trim() : name;
        if (full.EndsWith("[]", StringComparison.Ordinal))
            return Resolve(full[..^2])?.MakeArrayType();
        var simple = full.StartsWith("System.", StringComparison.Ordinal) ? full["System.".Length..] : full;
        if (simple.StartsWith("Text.Json.Nodes.", StringComparison.Ordinal)) simple = simple["Text.Json.Nodes.".Length..];
        return Aliases.TryGetValue(simple, out t) ? t : null;
    }
}
