using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exit.Host.Features.Elsa.Shared;

/// <summary>
/// The one redaction every Elsa workflow-instance answer goes through (instance, list, journal, activity executions,
/// variables, bookmarks). Workflow data can be citizen data: a CTI course's input names the citizen and the worker,
/// an activity's state holds the focus areas and plans a worker wrote. Studio's readers are coordinators and
/// managers, who have no caseload, so the API shows the shape of the data and never its text: numbers, booleans
/// and nulls stay (counts, flags, durations in ticks), every string becomes <see cref="Withheld"/>, objects and
/// arrays keep their keys and length with their values redacted the same way. Citizen data is read through the
/// CTI API, under the caseload rules and the audit log.
/// </summary>
public static class ElsaRedaction
{
    public const string Withheld = "(withheld)";

    public static JsonNode? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => Object(o),
        JsonArray a => new JsonArray(a.Select(Value).ToArray()),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => v.DeepClone(),
        _ => JsonValue.Create(Withheld),
    };

    public static JsonObject Object(JsonObject? source)
    {
        var copy = new JsonObject();
        if (source is null) return copy;
        foreach (var (key, value) in source) copy[key] = Value(value);
        return copy;
    }

    /// <summary>Null stays null, so an absent object is still absent.</summary>
    public static JsonObject? ObjectOrNull(JsonObject? source) => source is null ? null : Object(source);

    /// <summary>Free text that came from workflow data (a WriteLine's line): withheld unless empty.</summary>
    public static string? Text(string? text) => string.IsNullOrEmpty(text) ? text : Withheld;
}
