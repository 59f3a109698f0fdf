using System.Text.Json.Nodes;
using Exit.Workflows.State;

namespace Exit.Workflows.Alterations;

/// <summary>One wrong field of an alterations request: its JSON path, a stable code and a sentence.</summary>
public sealed record AlterationInputProblem(string Path, string Code, string Message);

/// <summary>
/// Elsa's alterations JSON read by hand (and written back, for stored plans), so every wrong field is named by its JSON path in one 400 answer:
/// the alterations (<c>type</c>: Migrate, ModifyVariable, ScheduleActivity, CancelActivity) and the instance filter
/// (AlterationWorkflowInstanceFilter: ids, correlation ids, definition ids, definition version ids, statuses, sub-statuses).
/// </summary>
public static class AlterationJson
{
    public static IReadOnlyList<Alteration> ReadAlterations(JsonNode? node, string path, List<AlterationInputProblem> problems)
    {
        var result = new List<Alteration>();
        if (node is not JsonArray array || array.Count == 0)
        {
            problems.Add(new AlterationInputProblem(path, "Required", "Give at least one alteration."));
            return result;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (array[i] is not JsonObject a)
            {
                problems.Add(new AlterationInputProblem(at, "InvalidAlteration", "An alteration is an object with a type."));
                continue;
            }
            var type = Text(a, "type");
            switch (type)
            {
                case "Migrate":
                    if (a["targetVersion"] is JsonValue v && v.TryGetValue<int>(out var version) && version > 0)
                        result.Add(new MigrateAlteration(version, StringMap(a["activityMappings"], $"{at}.activityMappings", problems),
                            a["variableValues"] is JsonObject values ? values.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) : null));
                    else problems.Add(new AlterationInputProblem($"{at}.targetVersion", "Required", "Migrate needs a target version (a positive number)."));
                    break;
                case "ModifyVariable":
                    if (Text(a, "variableId") is { Length: > 0 } variableId) result.Add(new ModifyVariableAlteration(variableId, a["value"]?.DeepClone()));
                    else problems.Add(new AlterationInputProblem($"{at}.variableId", "Required", "ModifyVariable needs a variable id."));
                    break;
                case "ScheduleActivity":
                    if (Text(a, "activityId") is { Length: > 0 } activityId) result.Add(new ScheduleActivityAlteration(activityId));
                    else problems.Add(new AlterationInputProblem($"{at}.activityId", "Required", "ScheduleActivity needs an activity id."));
                    break;
                case "CancelActivity":
                    var cancelId = Text(a, "activityId");
                    var cancelInstanceId = Text(a, "activityInstanceId");
                    if (string.IsNullOrEmpty(cancelId) && string.IsNullOrEmpty(cancelInstanceId))
                        problems.Add(new AlterationInputProblem($"{at}.activityId", "Required", "CancelActivity needs an activity id or an activity instance id."));
                    else result.Add(new CancelActivityAlteration(NullIfEmpty(cancelId), NullIfEmpty(cancelInstanceId)));
                    break;
                default:
                    problems.Add(new AlterationInputProblem($"{at}.type", "UnknownAlterationType",
                        "The type must be Migrate, ModifyVariable, ScheduleActivity or CancelActivity."));
                    break;
            }
        }
        return result;
    }

    public static AlterationInstanceFilter ReadSelection(JsonNode? node, string path, List<AlterationInputProblem> problems)
    {
        if (node is not (null or JsonObject))
        {
            problems.Add(new AlterationInputProblem(path, "InvalidFilter", "The filter is an object."));
            return AlterationInstanceFilter.Empty;
        }
        var f = node as JsonObject ?? new JsonObject();
        return new AlterationInstanceFilter(
            Strings(f["workflowInstanceIds"], $"{path}.workflowInstanceIds", problems),
            Strings(f["correlationIds"], $"{path}.correlationIds", problems),
            Strings(f["definitionIds"], $"{path}.definitionIds", problems),
            Strings(f["definitionVersionIds"], $"{path}.definitionVersionIds", problems),
            Enums<WorkflowStatus>(f["statuses"], $"{path}.statuses", problems),
            Enums<WorkflowSubStatus>(f["subStatuses"], $"{path}.subStatuses", problems),
            f["emptyFilterSelectsAll"] is JsonValue all && all.TryGetValue<bool>(out var b) && b);
    }

    /// <summary>A text field; blank counts as missing (no activity, variable or type is named by blanks).</summary>
    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static IReadOnlyList<string>? Strings(JsonNode? node, string path, List<AlterationInputProblem> problems)
    {
        if (node is null) return null;
        if (node is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue<string>(out _)))
            return a.Select(x => x!.GetValue<string>()).ToList();
        problems.Add(new AlterationInputProblem(path, "InvalidList", "A list of texts is expected."));
        return null;
    }

    private static IReadOnlyList<T>? Enums<T>(JsonNode? node, string path, List<AlterationInputProblem> problems) where T : struct, Enum
    {
        if (node is null) return null;
        var result = new List<T>();
        if (node is JsonArray a)
        {
            foreach (var x in a)
            {
                if (x is JsonValue v && TryEnum<T>(v, out var e))
                    result.Add(e);
                else
                {
                    problems.Add(new AlterationInputProblem(path, "InvalidValue", $"Allowed: {string.Join(", ", Enum.GetNames<T>())}."));
                    return null;
                }
            }
            return result;
        }
        problems.Add(new AlterationInputProblem(path, "InvalidList", "A list is expected."));
        return null;
    }

    private static bool TryEnum<T>(JsonValue v, out T value) where T : struct, Enum
    {
        if (v.TryGetValue<string>(out var s)) return Enum.TryParse(s, ignoreCase: true, out value) && Enum.IsDefined(value);
        if (v.TryGetValue<int>(out var n) && Enum.IsDefined(typeof(T), n))
        {
            value = (T)Enum.ToObject(typeof(T), n);
            return true;
        }
        value = default;
        return false;
    }

    private static IReadOnlyDictionary<string, string>? StringMap(JsonNode? node, string path, List<AlterationInputProblem> problems)
    {
        if (node is null) return null;
        if (node is JsonObject o && o.All(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)))
            return o.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        problems.Add(new AlterationInputProblem(path, "InvalidMapping", "A mapping of activity ids (old → new) is expected."));
        return null;
    }

    /// <summary>The alterations as Elsa writes them (what <see cref="ReadAlterations"/> reads back).</summary>
    public static JsonArray WriteAlterations(IEnumerable<Alteration> alterations) => new(alterations.Select(a => (JsonNode?)(a switch
    {
        MigrateAlteration m => new JsonObject
        {
            ["type"] = m.Type, ["targetVersion"] = m.TargetVersion,
            ["activityMappings"] = m.ActivityMappings is null ? null : new JsonObject(m.ActivityMappings.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["variableValues"] = m.VariableValues is null ? null : new JsonObject(m.VariableValues.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        },
        ModifyVariableAlteration v => new JsonObject { ["type"] = v.Type, ["variableId"] = v.VariableId, ["value"] = v.Value?.DeepClone() },
        ScheduleActivityAlteration s => new JsonObject { ["type"] = s.Type, ["activityId"] = s.ActivityId },
        CancelActivityAlteration c => new JsonObject { ["type"] = c.Type, ["activityId"] = c.ActivityId, ["activityInstanceId"] = c.ActivityInstanceId },
        _ => throw new ArgumentOutOfRangeException(nameof(alterations), a.Type, "Unknown alteration."),
    })).ToArray());

    /// <summary>The filter as Elsa names its fields (what <see cref="ReadSelection"/> reads back).</summary>
    public static JsonObject WriteSelection(AlterationInstanceFilter f) => new()
    {
        ["workflowInstanceIds"] = Array(f.WorkflowInstanceIds),
        ["correlationIds"] = Array(f.CorrelationIds),
        ["definitionIds"] = Array(f.DefinitionIds),
        ["definitionVersionIds"] = Array(f.DefinitionVersionIds),
        ["statuses"] = Array(f.Statuses?.Select(s => s.ToString())),
        ["subStatuses"] = Array(f.SubStatuses?.Select(s => s.ToString())),
        ["emptyFilterSelectsAll"] = f.EmptyFilterSelectsAll,
    };

    private static JsonArray? Array(IEnumerable<string>? items) => items is null ? null : new JsonArray(items.Select(i => (JsonNode?)i).ToArray());
}
