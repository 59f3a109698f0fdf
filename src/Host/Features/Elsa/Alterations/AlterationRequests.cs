using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Alterations;
using Exit.Workflows.State;

namespace Exit.Host.Features.Elsa.Alterations;

/// <summary>
/// Elsa's alterations request bodies read by hand, so every wrong field is named by its JSON path in one 400 answer:
/// the alterations (<c>type</c>: Migrate, ModifyVariable, ScheduleActivity, CancelActivity) and the instance filter
/// (AlterationWorkflowInstanceFilter: ids, correlation ids, definition ids, definition version ids, statuses, sub-statuses).
/// </summary>
public static class AlterationRequests
{
    public sealed record InstanceSelection(
        IReadOnlyList<string>? WorkflowInstanceIds,
        IReadOnlyList<string>? CorrelationIds,
        IReadOnlyList<string>? DefinitionIds,
        IReadOnlyList<string>? DefinitionVersionIds,
        IReadOnlyList<WorkflowStatus>? Statuses,
        IReadOnlyList<WorkflowSubStatus>? SubStatuses,
        bool EmptyFilterSelectsAll)
    {
        public bool IsEmpty => WorkflowInstanceIds is null && CorrelationIds is null && DefinitionIds is null && DefinitionVersionIds is null
                               && Statuses is null && SubStatuses is null;
    }

    public static IReadOnlyList<Alteration> ReadAlterations(JsonNode? node, string path, List<ProblemItem> problems)
    {
        var result = new List<Alteration>();
        if (node is not JsonArray array || array.Count == 0)
        {
            problems.Add(new ProblemItem(null, path, "Required", "Give at least one alteration."));
            return result;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (array[i] is not JsonObject a)
            {
                problems.Add(new ProblemItem(null, at, "InvalidAlteration", "An alteration is an object with a type."));
                continue;
            }
            var type = Text(a, "type");
            switch (type)
            {
                case "Migrate":
                    if (a["targetVersion"] is JsonValue v && v.TryGetValue<int>(out var version) && version > 0)
                        result.Add(new MigrateAlteration(version, StringMap(a["activityMappings"], $"{at}.activityMappings", problems),
                            a["variableValues"] is JsonObject values ? values.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) : null));
                    else problems.Add(new ProblemItem(null, $"{at}.targetVersion", "Required", "Migrate needs a target version (a positive number)."));
                    break;
                case "ModifyVariable":
                    if (Text(a, "variableId") is { Length: > 0 } variableId) result.Add(new ModifyVariableAlteration(variableId, a["value"]?.DeepClone()));
                    else problems.Add(new ProblemItem(null, $"{at}.variableId", "Required", "ModifyVariable needs a variable id."));
                    break;
                case "ScheduleActivity":
                    if (Text(a, "activityId") is { Length: > 0 } activityId) result.Add(new ScheduleActivityAlteration(activityId));
                    else problems.Add(new ProblemItem(null, $"{at}.activityId", "Required", "ScheduleActivity needs an activity id."));
                    break;
                case "CancelActivity":
                    var cancelId = Text(a, "activityId");
                    var cancelInstanceId = Text(a, "activityInstanceId");
                    if (string.IsNullOrEmpty(cancelId) && string.IsNullOrEmpty(cancelInstanceId))
                        problems.Add(new ProblemItem(null, $"{at}.activityId", "Required", "CancelActivity needs an activity id or an activity instance id."));
                    else result.Add(new CancelActivityAlteration(NullIfEmpty(cancelId), NullIfEmpty(cancelInstanceId)));
                    break;
                default:
                    problems.Add(new ProblemItem(null, $"{at}.type", "UnknownAlterationType",
                        "The type must be Migrate, ModifyVariable, ScheduleActivity or CancelActivity."));
                    break;
            }
        }
        return result;
    }

    public static InstanceSelection ReadSelection(JsonNode? node, string path, List<ProblemItem> problems)
    {
        if (node is not (null or JsonObject))
        {
            problems.Add(new ProblemItem(null, path, "InvalidFilter", "The filter is an object."));
            return new InstanceSelection(null, null, null, null, null, null, false);
        }
        var f = node as JsonObject ?? new JsonObject();
        return new InstanceSelection(
            Strings(f["workflowInstanceIds"], $"{path}.workflowInstanceIds", problems),
            Strings(f["correlationIds"], $"{path}.correlationIds", problems),
            Strings(f["definitionIds"], $"{path}.definitionIds", problems),
            Strings(f["definitionVersionIds"], $"{path}.definitionVersionIds", problems),
            Enums<WorkflowStatus>(f["statuses"], $"{path}.statuses", problems),
            Enums<WorkflowSubStatus>(f["subStatuses"], $"{path}.subStatuses", problems),
            f["emptyFilterSelectsAll"] is JsonValue all && all.TryGetValue<bool>(out var b) && b);
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static IReadOnlyList<string>? Strings(JsonNode? node, string path, List<ProblemItem> problems)
    {
        if (node is null) return null;
        if (node is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue<string>(out _)))
            return a.Select(x => x!.GetValue<string>()).ToList();
        problems.Add(new ProblemItem(null, path, "InvalidList", "A list of texts is expected."));
        return null;
    }

    private static IReadOnlyList<T>? Enums<T>(JsonNode? node, string path, List<ProblemItem> problems) where T : struct, Enum
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
                    problems.Add(new ProblemItem(null, path, "InvalidValue", $"Allowed: {string.Join(", ", Enum.GetNames<T>())}."));
                    return null;
                }
            }
            return result;
        }
        problems.Add(new ProblemItem(null, path, "InvalidList", "A list is expected."));
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

    private static IReadOnlyDictionary<string, string>? StringMap(JsonNode? node, string path, List<ProblemItem> problems)
    {
        if (node is null) return null;
        if (node is JsonObject o && o.All(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)))
            return o.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        problems.Add(new ProblemItem(null, path, "InvalidMapping", "A mapping of activity ids (old → new) is expected."));
        return null;
    }
}
