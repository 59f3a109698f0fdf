using System.Text.Json.Nodes;
using Xunit;

namespace Exit.Host.Tests.Elsa;

/// <summary>Assertions for the JSON rules Studio enforces (CONTRACT §2, §7).</summary>
public static class JsonContract
{
    // Keys whose values are maps with caller-chosen keys (not DTO properties).
    private static readonly HashSet<string> MapKeys = new(StringComparer.Ordinal)
    {
        "customProperties", "metadata", "properties", "activityState", "payload", "outputs", "input", "output", "errors",
        "uiSpecifications", "constructionProperties", "root", "value", "defaultValue", "items", "exception",
    };

    /// <summary>Every DTO key camelCase; opaque maps and the workflow document are checked separately or not at all.</summary>
    public static void AssertCamelCase(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.Length > 0 && key[0] != '$')
                        Assert.True(char.IsLower(key[0]), $"Key '{key}' at {path} is not camelCase.");
                    if (!MapKeys.Contains(key) || key == "items" && value is JsonArray) AssertCamelCase(value, $"{path}.{key}");
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) AssertCamelCase(array[i], $"{path}[{i}]");
                break;
        }
    }

    /// <summary>WorkflowDefinition: collections non-null, links with publish, a nodeId on every activity.</summary>
    public static void AssertWorkflowDefinition(JsonObject def, bool expectLatest = true)
    {
        AssertCamelCase(def);
        foreach (var key in new[] { "variables", "inputs", "outputs", "outcomes" })
            Assert.True(def[key] is JsonArray, $"'{key}' must be an array.");
        Assert.True(def["customProperties"] is JsonObject, "customProperties must be an object.");
        Assert.True(def["options"] is JsonObject, "options must be an object.");
        foreach (var key in new[] { "id", "definitionId", "toolVersion" })
            Assert.False(string.IsNullOrEmpty(def[key]?.GetValue<string>()), $"'{key}' must be set.");
        Assert.True(def["version"]?.GetValue<int>() >= 1);
        Assert.NotNull(def["isPublished"]);
        if (expectLatest) Assert.True(def["isLatest"]!.GetValue<bool>(), "isLatest must be true or Studio opens the editor read-only.");
        var rels = (def["links"] as JsonArray ?? []).Select(l => l!["rel"]!.GetValue<string>()).ToList();
        Assert.Contains("publish", rels);
        Assert.Contains("self", rels);
        Assert.Contains("retract", rels);
        Assert.Contains("delete", rels);
        var root = Assert.IsType<JsonObject>(def["root"]);
        AssertActivity(root, isRoot: true);
    }

    private static void AssertActivity(JsonObject activity, bool isRoot)
    {
        var nodeId = activity["nodeId"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(nodeId), $"Activity {activity["id"]} has no nodeId.");
        if (isRoot) Assert.StartsWith("Workflow1:", nodeId);
        Assert.True(activity["customProperties"] is JsonObject, $"{nodeId}: customProperties must be an object.");
        if (activity["type"]?.GetValue<string>() == "Elsa.Flowchart")
        {
            Assert.True(activity["activities"] is JsonArray, $"{nodeId}: activities must be an array.");
            Assert.True(activity["connections"] is JsonArray, $"{nodeId}: connections must be an array.");
        }
        foreach (var child in (activity["activities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AssertActivity(child, isRoot: false);
            Assert.StartsWith(nodeId + ":", child["nodeId"]!.GetValue<string>());
        }
    }

    public static IEnumerable<(string Type, int Version)> ActivityTypes(JsonObject root)
    {
        yield return (root["type"]!.GetValue<string>(), root["version"]?.GetValue<int>() ?? 1);
        foreach (var child in (root["activities"] as JsonArray ?? []).OfType<JsonObject>())
            foreach (var t in ActivityTypes(child)) yield return t;
    }
}
