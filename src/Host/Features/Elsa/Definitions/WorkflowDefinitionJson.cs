using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// Shapes a stored definition version into Elsa's <c>WorkflowDefinition</c> response (CONTRACT §5.1, §7):
/// the stored document with the store's identity and version flags laid over it, every collection non-null,
/// a nodeId on every activity and the links that make the editor writable. The workflow <c>root</c> stays an
/// opaque document, so keys we do not model (designer metadata, unknown inputs) travel through unchanged.
/// </summary>
public static class WorkflowDefinitionJson
{
    public const string ToolVersion = "3.8.2.0";
    public const string SchemaUrl = DefinitionJsonWriter.SchemaUrl;

    private static readonly string[] ArrayKeys = ["variables", "inputs", "outputs", "outcomes"];

    public static JsonObject ToResponse(WorkflowDefinitionVersion version)
    {
        var json = version.Json.DeepClone().AsObject();
        json.Remove("$schema");
        json["id"] = version.Id;
        json["definitionId"] = version.DefinitionId;
        json["name"] = version.Name;
        json["description"] = version.Description;
        json["createdAt"] = version.CreatedAt;
        json["version"] = version.Version;
        if (json["toolVersion"] is not JsonValue) json["toolVersion"] = ToolVersion;
        json["isLatest"] = version.IsLatest;
        json["isPublished"] = version.IsPublished;
        if (json["isReadonly"] is not JsonValue) json["isReadonly"] = false;
        if (json["isSystem"] is not JsonValue) json["isSystem"] = false;
        NormaliseCollections(json);
        json["links"] = LinksJson(version.DefinitionId);
        return json;
    }

    /// <summary>Fills what Studio cannot live without; never overwrites a value that is there.</summary>
    public static void NormaliseCollections(JsonObject json)
    {
        foreach (var key in ArrayKeys)
            if (json[key] is not JsonArray) json[key] = new JsonArray();
        if (json["customProperties"] is not JsonObject) json["customProperties"] = new JsonObject();
        if (json["options"] is not JsonObject options) json["options"] = options = new JsonObject();
        if (options["autoUpdateConsumingWorkflows"] is not JsonValue) options["autoUpdateConsumingWorkflows"] = false;

        if (json["root"] is not JsonObject root)
        {
            root = new JsonObject { ["id"] = "flowchart1", ["name"] = "Flowchart1", ["type"] = WellKnownTypes.Flowchart, ["version"] = 1 };
            json["root"] = root;
        }
        NormaliseActivity(root, parentNodeId: null);
    }

    private static void NormaliseActivity(JsonObject activity, string? parentNodeId)
    {
        var id = activity["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var s) ? s : null;
        var nodeId = activity["nodeId"] is JsonValue n && n.TryGetValue<string>(out var existing) && existing.Length > 0 ? existing : null;
        if (nodeId is null && id is not null)
        {
            nodeId = parentNodeId is null ? $"Workflow1:{id}" : $"{parentNodeId}:{id}";
            activity["nodeId"] = nodeId;
        }
        if (activity["customProperties"] is not JsonObject) activity["customProperties"] = new JsonObject();
        if (activity["metadata"] is not JsonObject) activity["metadata"] = new JsonObject();

        var type = activity["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName : null;
        var isFlowchart = type == WellKnownTypes.Flowchart;
        if (isFlowchart || activity["activities"] is JsonArray)
        {
            if (activity["activities"] is not JsonArray children) activity["activities"] = children = new JsonArray();
            if (activity["connections"] is not JsonArray) activity["connections"] = new JsonArray();
            if (activity["variables"] is not JsonArray) activity["variables"] = new JsonArray();
            foreach (var child in children.OfType<JsonObject>()) NormaliseActivity(child, nodeId);
        }
        // An embedded activity (FlowNode body) has a string "type"; an input named "body" has typeName/expression.
        if (activity["body"] is JsonObject body && body["type"] is JsonValue bodyType && bodyType.GetValueKind() == System.Text.Json.JsonValueKind.String)
            NormaliseActivity(body, nodeId);
    }

    public static JsonArray LinksJson(string definitionId)
    {
        var array = new JsonArray();
        foreach (var link in Links(definitionId))
            array.Add(new JsonObject { ["href"] = link.Href, ["rel"] = link.Rel, ["method"] = link.Method });
        return array;
    }

    public static IReadOnlyList<LinkDto> Links(string definitionId)
    {
        var id = Uri.EscapeDataString(definitionId);
        return
        [
            new($"/workflow-definitions/by-definition-id/{id}", "self", "GET"),
            new($"/workflow-definitions/{id}/publish", "publish", "POST"),
            new($"/workflow-definitions/{id}/retract", "retract", "POST"),
            new($"/workflow-definitions/{id}", "delete", "DELETE"),
        ];
    }

    /// <summary>Lower-case words joined by dashes, for export file names ("Nightly report" → "nightly-report").</summary>
    public static string Slug(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "workflow";
        var chars = new System.Text.StringBuilder(name.Length);
        var dash = false;
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) { chars.Append(c); dash = false; }
            else if (!dash && chars.Length > 0) { chars.Append('-'); dash = true; }
        }
        var slug = chars.ToString().TrimEnd('-');
        return slug.Length == 0 ? "workflow" : slug;
    }
}
