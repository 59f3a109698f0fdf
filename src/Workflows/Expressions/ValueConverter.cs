using System.Collections;
using System.ComponentModel;
using System.Dynamic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace Exit.Workflows.Expressions;

/// <summary>
/// Elsa's object conversion rules (semantics §4 Literal): assignable values are kept; <c>{</c>/<c>[</c> text is
/// JSON-deserialized for non-primitive targets; otherwise a TypeConverter with the invariant culture is used
/// (<c>"5"</c> as TimeSpan is five days, as in Elsa); blank text is null; a string for a string collection is a
/// one-element array; and a failed conversion yields <c>default</c> without an error.
/// </summary>
public static class ValueConverter
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
    };

    public static object? DefaultOf(Type type) =>
        type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    /// <summary>Converts, returning <c>default</c> of the target type when it cannot.</summary>
    public static object? Convert(object? value, Type targetType)
    {
        try
        {
            return TryConvertCore(value, targetType, out var result) ? result : DefaultOf(targetType);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or JsonException
                                       or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return DefaultOf(targetType);
        }
    }

    /// <summary>Converts; false when the value cannot be represented (used for variable initial values).</summary>
    public static bool TryConvert(object? value, Type targetType, out object? result)
    {
        try
        {
            return TryConvertCore(value, targetType, out result);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or JsonException
                                       or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            result = null;
            return false;
        }
    }

    private static bool TryConvertCore(object? value, Type targetType, out object? result)
    {
        result = null;
        if (value is null) return true;
        var target = Nullable.GetUnderlyingType(targetType) ?? targetType;

        if (value is JsonElement element) value = JsonNode.Parse(element.GetRawText());
        if (value is JsonValue jsonValue) value = Unwrap(jsonValue);
        if (value is null) return true;

        if (target.IsInstanceOfType(value) && value is not JsonNode || target == typeof(object))
        {
            result = value is JsonNode n && target == typeof(object) ? ToPlain(n) : value;
            return true;
        }

        if (typeof(JsonNode).IsAssignableFrom(target))
        {
            var node = value switch
            {
                JsonNode n => n.DeepClone(),
                string s when LooksLikeJson(s) => JsonNode.Parse(s),
                _ => JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions),
            };
            if (node is not null && !target.IsInstanceOfType(node)) return false;
            result = node;
            return true;
        }

        if (value is JsonNode jsonNode)
        {
            result = target == typeof(string) ? jsonNode.ToJsonString() : jsonNode.Deserialize(target, JsonOptions);
            return true;
        }

        if (value is string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return true;
            if (IsStringCollection(target) && !text.TrimStart().StartsWith('['))
            {
                result = target.IsArray || target.IsInterface ? new[] { text } : Activator.CreateInstance(target, [new[] { text }]);
                return true;
            }
            var trimmed = text.TrimStart();
            if ((trimmed.StartsWith('{') || trimmed.StartsWith('[')) && !IsPrimitive(target))
            {
                result = JsonSerializer.Deserialize(text, target, JsonOptions);
                return true;
            }
            return FromString(text, target, out result);
        }

        if (value is ExpandoObject or IDictionary or (IEnumerable and not string))
        {
            var node = JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions);
            result = node?.Deserialize(target, JsonOptions);
            return true;
        }

        if (target == typeof(string))
        {
            result = value switch
            {
                bool b => b ? "True" : "False",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            return true;
        }

        if (target.IsEnum)
        {
            result = Enum.ToObject(target, System.Convert.ChangeType(value, Enum.GetUnderlyingType(target), CultureInfo.InvariantCulture));
            return true;
        }

        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(target))
        {
            result = System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
            return true;
        }

        var converter = TypeDescriptor.GetConverter(target);
        if (converter.CanConvertFrom(value.GetType()))
        {
            result = converter.ConvertFrom(null, CultureInfo.InvariantCulture, value);
            return true;
        }
        return false;
    }

    private static bool FromString(string text, Type target, out object? result)
    {
        result = null;
        if (target == typeof(TimeSpan))
        {
            // Elsa's TypeConverter reading ("5" = five days); ISO 8601 durations are accepted too.
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ts)) { result = ts; return true; }
            result = XmlConvert.ToTimeSpan(text.Trim());
            return true;
        }
        if (target == typeof(bool))
        {
            result = bool.Parse(text.Trim());
            return true;
        }
        if (target.IsEnum)
        {
            result = Enum.Parse(target, text.Trim(), ignoreCase: true);
            return true;
        }
        if (target == typeof(DateTimeOffset))
        {
            result = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return true;
        }
        if (target == typeof(DateTime))
        {
            result = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            return true;
        }
        var converter = TypeDescriptor.GetConverter(target);
        if (!converter.CanConvertFrom(typeof(string))) return false;
        result = converter.ConvertFromInvariantString(text);
        return true;
    }

    private static bool LooksLikeJson(string s)
    {
        var t = s.TrimStart();
        return t.StartsWith('{') || t.StartsWith('[');
    }

    private static bool IsPrimitive(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime)
        || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid);

    private static bool IsStringCollection(Type t) =>
        t == typeof(string[]) || t == typeof(IEnumerable<string>) || t == typeof(IReadOnlyList<string>)
        || t == typeof(IReadOnlyCollection<string>) || t == typeof(IList<string>) || t == typeof(ICollection<string>)
        || t == typeof(List<string>);

    /// <summary>A JSON primitive as a CLR primitive (string, bool, long/decimal/double).</summary>
    public static object? Unwrap(JsonValue value)
    {
        var kind = value.GetValueKind();
        switch (kind)
        {
            case JsonValueKind.String:
                return value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString());
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Null or JsonValueKind.Undefined: return null;
            case JsonValueKind.Number:
                if (value.TryGetValue<JsonElement>(out var el))
                {
                    if (el.TryGetInt64(out var l)) return l;
                    if (el.TryGetDecimal(out var m)) return m;
                    return el.GetDouble();
                }
                return value.GetValue<object>();
            default:
                return value.GetValue<object>();
        }
    }

    /// <summary>A JSON node as plain CLR data for <c>object</c>-typed targets.</summary>
    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v => Unwrap(v),
        _ => node.DeepClone(),
    };

    /// <summary>Serializes a CLR value (already converted) for storage in the state document.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        // The commonest inputs (a task's title, role, outcomes) without the serializer's write-and-parse: the same JSON.
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        string[] a => StringArray(a),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions),
    };

    private static JsonArray StringArray(string[] items)
    {
        var array = new JsonArray();
        foreach (var item in items) array.Add(item is null ? null : JsonValue.Create(item));
        return array;
    }
}
