using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Reads an Elsa 3 workflow-definition document (Studio's save model, an export file or an old 3.0 file),
/// normalises it in the form Studio needs (CONTRACT §7) and builds the executable <see cref="WorkflowGraph"/>.
/// Reading never consults the activity registry; <see cref="DefinitionValidator"/> does that.
/// </summary>
public static class DefinitionJsonReader
{
    /// <summary>The prefix of the root activity's nodeId, as Elsa writes it: <c>Workflow1:&lt;rootId&gt;</c>.</summary>
    public const string RootNodeIdPrefix = "Workflow1";

    /// <summary>The id given to a root Flowchart created for a document without a root.</summary>
    public const string DefaultRootId = "Flowchart1";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
        AllowDuplicateProperties = false, // a duplicate key is a JsonException with its position, not an ArgumentException later
    };

    private static readonly string[] DocumentArrays = ["variables", "inputs", "outputs", "outcomes"];
    private static readonly string[] DocumentObjects = ["customProperties", "options"];

    /// <summary>Document fields that are text when present: a wrongly typed one is refused, not silently dropped.</summary>
    private static readonly string[] DocumentStrings = ["definitionId", "id", "name", "description"];

    /// <summary>Activity keys that are never inputs.</summary>
    private static readonly HashSet<string> ActivityKeys = new(StringComparer.Ordinal)
    {
        "id", "nodeId", "name", "type", "version", "customProperties", "metadata", "activities", "connections", "variables",
    };

    /// <summary>Top-level activity flags of Elsa 3.0, moved into customProperties (customProperties wins).</summary>
    private static readonly string[] LegacyFlags = ["canStartWorkflow", "runAsynchronously"];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses definition JSON text. A leading byte-order mark is ignored.</summary>
    /// <exception cref="DefinitionFormatException">The text is not JSON, or not a definition-shaped object.</exception>
    public static ParsedDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var text = json.Length > 0 && json[0] == '\uFEFF' ? json.AsSpan(1) : json.AsSpan();
        if (text.IsWhiteSpace()) throw new DefinitionFormatException("The workflow definition is empty.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text.ToString(), documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw DefinitionFormatException.FromJson(ex);
        }
        return ReadOwned(node);
    }

    /// <summary>Parses UTF-8 definition JSON (a file's bytes). A leading byte-order mark is ignored.</summary>
    /// <exception cref="DefinitionFormatException">The bytes are not JSON, or not a definition-shaped object.</exception>
    public static ParsedDefinition Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(Utf8Bom)) utf8 = utf8[Utf8Bom.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) throw new DefinitionFormatException("The workflow definition is empty.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw DefinitionFormatException.FromJson(ex);
        }
        return ReadOwned(node);
    }

    private static readonly JsonDocumentOptions StrictOptions = new() { AllowDuplicateProperties = false };

    /// <summary>Parses JSON text inside a definition (an Object expression, a variable reference): strict JSON, no duplicate keys.</summary>
    /// <exception cref="JsonException">The text is not JSON, or has a duplicate key.</exception>
    internal static JsonNode? ParseNode(string json) => JsonNode.Parse(json, documentOptions: StrictOptions);

    /// <summary>Reads a document already held as a <see cref="JsonObject"/>; the argument is not changed.</summary>
    public static ParsedDefinition Read(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return ReadOwned(document.DeepClone());
    }

    private static ParsedDefinition ReadOwned(JsonNode? node)
    {
        if (node is not JsonObject doc)
            throw DefinitionFormatException.Shape("$", $"expected a JSON object but found {KindOf(node)}.");

        var context = new ReadContext();
        CamelCaseKeys(doc);
        doc.Remove("$schema");
        doc.Remove("links"); // server-made per response (CONTRACT §7.3); a stored copy would go stale
        foreach (var key in DocumentArrays) EnsureArray(doc, key, "$");
        foreach (var key in DocumentObjects) EnsureObject(doc, key, "$");
        foreach (var key in DocumentStrings)
        {
            if (doc[key] is { } value && (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
                throw DefinitionFormatException.Shape($"$.{key}", $"expected a string but found {KindOf(value)}.");
        }

        if (!doc.TryGetPropertyValue("root", out var rootNode) || rootNode is null)
        {
            rootNode = new JsonObject
            {
                ["id"] = DefaultRootId,
                ["type"] = WellKnownTypes.Flowchart,
                ["version"] = 1,
            };
            doc["root"] = rootNode;
        }
        if (rootNode is not JsonObject rootObject)
            throw DefinitionFormatException.Shape("$.root", $"expected an activity object but found {KindOf(rootNode)}.");
        CamelCaseKeys(rootObject);
        if (StringOf(rootObject, "type") is null or "") rootObject["type"] = WellKnownTypes.Flowchart; // a root is a Flowchart unless it says otherwise

        var variables = ReadVariables((JsonArray)doc["variables"]!, "$.variables");
        var root = ReadActivity(rootObject, parentNodeId: null, "$.root", 0, context);
        var graph = new WorkflowGraph { Root = root, Variables = variables };

        var problems = new List<DefinitionProblem>(context.Problems);
        problems.AddRange(GraphChecks.Structural(graph));

        return new ParsedDefinition
        {
            DefinitionId = NonEmpty(StringOf(doc, "definitionId")),
            Id = NonEmpty(StringOf(doc, "id")),
            Name = StringOf(doc, "name"),
            Description = StringOf(doc, "description"),
            Version = IntOf(doc, "version"),
            Graph = graph,
            Document = doc,
            Problems = problems,
        };
    }

    private static ActivityNode ReadActivity(JsonObject a, string? parentNodeId, string path, int index, ReadContext context)
    {
        CamelCaseKeys(a);

        var type = NonEmpty(StringOf(a, "type"));
        var name = StringOf(a, "name");
        var id = NonEmpty(StringOf(a, "id"));
        if (id is null)
        {
            id = NonEmpty(name) ?? $"{ShortName(type) ?? "Activity"}{index + 1}";
            a["id"] = id;
            context.Problems.Add(new DefinitionProblem(id, null, DefinitionProblemCodes.MissingActivityId,
                $"The activity at {path} ({type ?? "no type"}) has no id; it was given the id '{id}'."));
        }
        if (type is null)
        {
            context.Problems.Add(new DefinitionProblem(id, null, DefinitionProblemCodes.MissingActivityType,
                $"Activity '{id}' at {path} has no type."));
        }

        var version = IntOf(a, "version");
        if (version is null)
        {
            version = 1;
            a["version"] = 1;
        }

        var nodeId = NonEmpty(StringOf(a, "nodeId"));
        if (nodeId is null)
        {
            nodeId = $"{parentNodeId ?? RootNodeIdPrefix}:{id}";
            a["nodeId"] = nodeId;
        }

        var customProperties = EnsureObject(a, "customProperties", path);
        foreach (var flag in LegacyFlags)
        {
            if (!a.TryGetPropertyValue(flag, out var value) || IsWrappedInput(value)) continue;
            a.Remove(flag);
            if (value is not null && !customProperties.ContainsKey(flag)) customProperties[flag] = value;
        }
        EnsureObject(a, "metadata", path);
        DropIgnoredLegacyKeys(a, type);

        var isFlowchart = type == WellKnownTypes.Flowchart;
        IReadOnlyList<ActivityNode> children = [];
        IReadOnlyList<FlowConnection> connections = [];
        IReadOnlyList<VariableDefinition> variables = [];
        if (isFlowchart || a["activities"] is JsonArray or JsonObject)
        {
            var array = EnsureArray(a, "activities", path);
            var list = new List<ActivityNode>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonObject child)
                    throw DefinitionFormatException.Shape($"{path}.activities[{i}]", $"expected an activity object but found {KindOf(array[i])}.");
                list.Add(ReadActivity(child, nodeId, $"{path}.activities[{i}]", i, context));
            }
            children = list;
        }
        if (isFlowchart || a.ContainsKey("connections"))
            connections = ReadConnections(EnsureConnectionArray(a, path), id, $"{path}.connections", context);
        if (isFlowchart || a["variables"] is JsonArray)
            variables = ReadVariables(EnsureArray(a, "variables", path), $"{path}.variables");

        ActivityNode? body = null;
        if (a.TryGetPropertyValue("body", out var bodyNode) && IsActivityObject(bodyNode))
            body = ReadActivity((JsonObject)bodyNode!, nodeId, $"{path}.body", 0, context);

        var inputs = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        foreach (var (key, value) in a)
        {
            if (ActivityKeys.Contains(key) || key.StartsWith('$') || (body is not null && key == "body")) continue;
            var input = ReadInput(value);
            if (input is not null) inputs[key] = input;
        }

        return new ActivityNode
        {
            Id = id,
            NodeId = nodeId,
            Name = name,
            Type = type ?? "",
            Version = version.Value,
            Inputs = inputs,
            CustomProperties = (JsonObject)customProperties.DeepClone(),
            Activities = children,
            Connections = connections,
            Variables = variables,
            Body = body,
            Raw = (JsonObject)a.DeepClone(),
        };
    }

    /// <summary>
    /// An input as Elsa reads it: an object with <c>typeName</c> is a wrapped input; a JSON primitive is a
    /// Literal of its text; anything else (null, arrays, objects without typeName) is "not set".
    /// A wrapper without an expression object gets the expression type <see cref="ExpressionTypes.None"/> and
    /// keeps the whole wrapper as its value (SetVariable's <c>variable</c> is such an object).
    /// </summary>
    private static InputValue? ReadInput(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject wrapper when HasKey(wrapper, "typeName"):
            {
                CamelCaseKeys(wrapper);
                var typeName = StringOf(wrapper, "typeName");
                if (wrapper["expression"] is not JsonObject expression)
                    return new InputValue(ExpressionTypes.None, wrapper.DeepClone(), typeName);
                CamelCaseKeys(expression);
                string expressionType;
                if (!expression.TryGetPropertyValue("type", out var typeNode)) expressionType = ExpressionTypes.None;
                else if (typeNode is null) expressionType = InputValue.Literal;
                else expressionType = typeNode is JsonValue tv && tv.GetValueKind() == JsonValueKind.String
                    ? tv.GetValue<string>()
                    : typeNode.ToJsonString();
                return new InputValue(expressionType, expression["value"]?.DeepClone(), typeName);
            }
            case JsonValue primitive:
                return primitive.GetValueKind() switch
                {
                    JsonValueKind.String => new InputValue(InputValue.Literal, JsonValue.Create(primitive.GetValue<string>()), null),
                    JsonValueKind.True => new InputValue(InputValue.Literal, JsonValue.Create("True"), null),
                    JsonValueKind.False => new InputValue(InputValue.Literal, JsonValue.Create("False"), null),
                    JsonValueKind.Number => new InputValue(InputValue.Literal, JsonValue.Create(primitive.ToJsonString()), null),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static IReadOnlyList<FlowConnection> ReadConnections(JsonArray array, string containerId, string path, ReadContext context)
    {
        var result = new List<FlowConnection>(array.Count);
        var seen = new HashSet<(string, string, string, string)>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject c)
            {
                context.Problems.Add(new DefinitionProblem(containerId, null, DefinitionProblemCodes.InvalidConnection,
                    $"The connection at {path}[{i}] in flowchart '{containerId}' is not an object."));
                continue;
            }
            CamelCaseKeys(c);
            string? source, target, sourcePort, targetPort;
            if (c["source"] is JsonValue)
            {
                // Elsa 3.0 flat form: {"source":"A","target":"B","sourcePort":"Done","targetPort":"In"}.
                source = StringOf(c, "source");
                target = StringOf(c, "target");
                sourcePort = StringOf(c, "sourcePort");
                targetPort = StringOf(c, "targetPort");
            }
            else
            {
                (source, sourcePort) = ReadEndpoint(c["source"]);
                (target, targetPort) = ReadEndpoint(c["target"]);
            }
            source = NonEmpty(source);
            target = NonEmpty(target);
            if (source is null || target is null)
            {
                context.Problems.Add(new DefinitionProblem(containerId, null, DefinitionProblemCodes.InvalidConnection,
                    $"The connection at {path}[{i}] in flowchart '{containerId}' has no {(source is null ? "source" : "target")} activity."));
                continue;
            }
            sourcePort = NonEmpty(sourcePort) ?? "Done";
            targetPort = NonEmpty(targetPort) ?? "In";
            if (!seen.Add((source, sourcePort, target, targetPort)))
            {
                array.RemoveAt(i--);
                continue;
            }

            var canonical = new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = source, ["port"] = sourcePort },
                ["target"] = new JsonObject { ["activity"] = target, ["port"] = targetPort },
            };
            if (c.TryGetPropertyValue("vertices", out var vertices))
            {
                c.Remove("vertices");
                canonical["vertices"] = vertices;
            }
            array[i] = canonical;
            result.Add(new FlowConnection(source, sourcePort, target, targetPort));
        }
        return result;
    }

    private static (string? Activity, string? Port) ReadEndpoint(JsonNode? node)
    {
        if (node is not JsonObject endpoint) return (null, null);
        CamelCaseKeys(endpoint);
        return (StringOf(endpoint, "activity"), StringOf(endpoint, "port"));
    }

    private static List<VariableDefinition> ReadVariables(JsonArray array, string path)
    {
        var result = new List<VariableDefinition>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject v)
                throw DefinitionFormatException.Shape($"{path}[{i}]", $"expected a variable object but found {KindOf(array[i])}.");
            CamelCaseKeys(v);
            result.Add(new VariableDefinition(
                StringOf(v, "id") ?? "",
                StringOf(v, "name") ?? "",
                NonEmpty(StringOf(v, "typeName")) ?? "Object",
                v["isArray"] is JsonValue isArray && isArray.GetValueKind() == JsonValueKind.True,
                TextOf(v["value"]),
                StringOf(v, "storageDriverTypeName")));
        }
        return result;
    }

    private static void DropIgnoredLegacyKeys(JsonObject a, string? type)
    {
        // Elsa 3.0 wrote these; Elsa ignores them on read, so the normalised document leaves them out.
        if (type == WellKnownTypes.Flowchart && a.TryGetPropertyValue("start", out var start) && start is null or JsonValue)
            a.Remove("start");
        if (a.TryGetPropertyValue("applicationProperties", out var props) && !IsWrappedInput(props))
            a.Remove("applicationProperties");
        foreach (var key in (string[])["source", "line"])
        {
            if (a.TryGetPropertyValue(key, out var v) && v is null) a.Remove(key);
        }
    }

    private static JsonArray EnsureArray(JsonObject owner, string key, string path)
    {
        owner.TryGetPropertyValue(key, out var node);
        switch (node)
        {
            case JsonArray array:
                return array;
            case null:
            {
                var created = new JsonArray();
                owner[key] = created;
                return created;
            }
            case JsonObject wrapper when wrapper["$values"] is JsonArray values:
                wrapper.Remove("$values");
                owner[key] = values;
                return values;
            default:
                throw DefinitionFormatException.Shape($"{path}.{key}", $"expected an array but found {KindOf(node)}.");
        }
    }

    private static JsonArray EnsureConnectionArray(JsonObject owner, string path)
    {
        if (owner["connections"] is JsonObject single && single["$values"] is not JsonArray && (HasKey(single, "source") || HasKey(single, "target")))
        {
            owner["connections"] = null;
            owner["connections"] = new JsonArray(single);
        }
        return EnsureArray(owner, "connections", path);
    }

    private static JsonObject EnsureObject(JsonObject owner, string key, string path)
    {
        owner.TryGetPropertyValue(key, out var node);
        switch (node)
        {
            case JsonObject o:
                return o;
            case null:
            {
                var created = new JsonObject();
                owner[key] = created;
                return created;
            }
            default:
                throw DefinitionFormatException.Shape($"{path}.{key}", $"expected an object but found {KindOf(node)}.");
        }
    }

    /// <summary>Renames PascalCase keys to camelCase in place, keeping their order; a key already present in camelCase wins.</summary>
    internal static void CamelCaseKeys(JsonObject o)
    {
        var needed = false;
        foreach (var (key, _) in o)
        {
            if (key.Length > 0 && char.IsUpper(key[0])) { needed = true; break; }
        }
        if (!needed) return;

        var pairs = o.ToList();
        var original = pairs.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        o.Clear();
        foreach (var (key, value) in pairs)
        {
            var camel = key.Length > 0 && char.IsUpper(key[0]) ? char.ToLowerInvariant(key[0]) + key[1..] : key;
            if (camel != key && original.Contains(camel)) camel = key;
            o[camel] = value;
        }
    }

    private static bool IsActivityObject(JsonNode? node) =>
        node is JsonObject o && (o["type"] ?? o["Type"]) is JsonValue t && t.GetValueKind() == JsonValueKind.String;

    private static bool IsWrappedInput(JsonNode? node) => node is JsonObject o && HasKey(o, "typeName");

    private static bool HasKey(JsonObject o, string camelKey) =>
        o.ContainsKey(camelKey) || o.ContainsKey(char.ToUpperInvariant(camelKey[0]) + camelKey[1..]);

    internal static string? StringOf(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? IntOf(JsonObject o, string key)
    {
        if (!o.TryGetPropertyValue(key, out var n) || n is not JsonValue v) return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.Number when v.TryGetValue<int>(out var i) => i,
            JsonValueKind.Number when v.TryGetValue<JsonElement>(out var e) && e.TryGetInt32(out var j) => j,
            JsonValueKind.String when int.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) => k,
            _ => null,
        };
    }

    /// <summary>A JSON value as text: strings as-is, booleans as True/False, anything else as JSON text.</summary>
    internal static string? TextOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string? ShortName(string? type) => type is null ? null : type[(type.LastIndexOf('.') + 1)..];

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };

    private sealed class ReadContext
    {
        public List<DefinitionProblem> Problems { get; } = [];
    }
}
