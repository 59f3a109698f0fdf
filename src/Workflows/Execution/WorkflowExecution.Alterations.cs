using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <summary>
/// The alterations (Alterations/) a burst can carry out on a loaded instance: change a variable, schedule an activity,
/// cancel an activity, and journal who altered what. Each returns a problem text instead of changing anything when the
/// alteration does not fit the instance, so a caller can refuse the whole set before it commits.
/// </summary>
internal sealed partial class WorkflowExecution
{
    public const string AlteredEvent = "Altered";

    /// <summary>Sets a declared variable (by id, or by name when no id matches), converted to its declared type.</summary>
    public string? AlterVariable(string variableIdOrName, JsonNode? value)
    {
        var variable = DeclaredVariables().FirstOrDefault(v => v.Id == variableIdOrName)
                       ?? DeclaredVariables().FirstOrDefault(v => v.Name == variableIdOrName);
        if (variable is null) return $"The workflow declares no variable '{variableIdOrName}'.";
        var type = VariableTypes.Resolve(variable) ?? typeof(object);
        if (!ValueConverter.TryConvert(ValueConverter.ToPlain(value), type, out var converted))
            return $"The value is not a {variable.TypeName}{(variable.IsArray ? "[]" : "")} (variable '{variable.Name}').";
        Instance.Variables[variable.Id] = ValueConverter.ToJson(converted);
        return null;
    }

    /// <summary>Queues an activity in the running flowchart that contains it (Elsa's ScheduleActivity).</summary>
    public string? AlterScheduleActivity(string activityId)
    {
        var node = FindByActivityId(activityId);
        if (node is null) return $"The workflow version has no activity '{activityId}'.";
        var container = Graph.ParentOf(node);
        var containerInstance = container is null ? null : _order.FirstOrDefault(a => a.NodeId == container.NodeId && a.Status == ActivityStatus.Running);
        if (containerInstance is null) return $"The flowchart that holds activity '{activityId}' is not running.";
        if (Instance.Status != WorkflowStatus.Running) return "The instance is not running.";
        Enqueue(new WorkItem(node.NodeId, containerInstance.Id, WorkKind.Execute));
        return null;
    }

    /// <summary>Cancels the running instances of an activity (or one activity instance) with their bookmarks and tasks.</summary>
    public string? AlterCancelActivity(string? activityId, string? activityInstanceId)
    {
        var victims = _order.Where(a => IsUnfinished(a) && a.ParentId is not null
                                        && (activityInstanceId is not null ? a.Id == activityInstanceId : a.ActivityId == activityId)).ToList();
        if (victims.Count == 0) return $"Activity '{activityInstanceId ?? activityId}' is not running in this instance.";
        foreach (var v in victims) CancelActivity(v, checkParent: true);
        return null;
    }

    /// <summary>A journal entry on the workflow itself saying what was altered and by whom.</summary>
    public void JournalAlteration(string message, JsonObject payload)
    {
        var workflow = _order.FirstOrDefault(a => a.ParentId is null);
        if (workflow is null) return;
        Journal(workflow, AlteredEvent, message, payload);
    }

    /// <summary>Variables the definition version declares anywhere (typed ones).</summary>
    private IEnumerable<VariableDefinition> DeclaredVariables() =>
        Graph.Graph.Variables.Concat(Graph.Graph.Descendants().SelectMany(n => n.Variables)).Where(v => VariableTypes.Resolve(v) is not null);

    private ActivityNode? FindByActivityId(string activityId) => Graph.Graph.Descendants().FirstOrDefault(n => n.Id == activityId);
}
