using System.Reflection;
using System.Dynamic;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Resolves a variable's <c>typeName</c>: an Elsa alias (Int32, String, Boolean, TimeSpan, JSON…), an alias with
/// <c>[]</c>, or an assembly-qualified CLR name of a type in an assembly that is already loaded (nothing is
/// loaded because a definition names it). Elsa drops variables whose type it cannot resolve.
/// </summary>
public static class VariableTypeNames
{
    private static readonly Dictionary<string, Type> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Object"] = typeof(object),
        ["String"] = typeof(string),
        ["Boolean"] = typeof(bool),
        ["Char"] = typeof(char),
        ["Byte"] = typeof(byte),
        ["SByte"] = typeof(sbyte),
        ["Int16"] = typeof(short),
        ["Int32"] = typeof(int),
        ["Int64"] = typeof(long),
        ["Long"] = typeof(long),
        ["UInt16"] = typeof(ushort),
        ["UInt32"] = typeof(uint),
        ["UInt64"] = typeof(ulong),
        ["Single"] = typeof(float),
        ["Double"] = typeof(double),
        ["Decimal"] = typeof(decimal),
        ["Guid"] = typeof(Guid),
        ["DateTime"] = typeof(DateTime),
        ["DateTimeOffset"] = typeof(DateTimeOffset),
        ["DateOnly"] = typeof(DateOnly),
        ["TimeOnly"] = typeof(TimeOnly),
        ["TimeSpan"] = typeof(TimeSpan),
        ["Uri"] = typeof(Uri),
        ["ByteArray"] = typeof(byte[]),
        ["JSON"] = typeof(JsonElement),
        ["JsonElement"] = typeof(JsonElement),
        ["JsonNode"] = typeof(JsonNode),
        ["JsonObject"] = typeof(JsonObject),
        ["JsonArray"] = typeof(JsonArray),
        ["ExpandoObject"] = typeof(ExpandoObject),
        ["ObjectDictionary"] = typeof(IDictionary<string, object>),
        ["StringDictionary"] = typeof(IDictionary<string, string>),
    };

    /// <summary>The Elsa aliases Exit knows, for messages and Studio's variable-type list.</summary>
    public static IReadOnlyCollection<string> KnownAliases { get; } = Aliases.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The CLR type for a typeName, or null when it cannot be resolved.</summary>
    public static Type? Resolve(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName)) return null;
        var name = typeName.Trim();
        if (Aliases.TryGetValue(name, out var alias)) return alias;
        if (name.EndsWith("[]", StringComparison.Ordinal)) return Resolve(name[..^2])?.MakeArrayType();
        try
        {
            return Type.GetType(
                name,
                assemblyResolver: n => AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(n, a.GetName())),
                typeResolver: null,
                throwOnError: false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }

    public static bool IsResolvable(string? typeName) => Resolve(typeName) is not null;
}
