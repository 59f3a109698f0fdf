using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Triggers;

/// <summary>Finds the trigger activities of a definition version.</summary>
public static class TriggerDiscovery
{
    private static readonly Dictionary<string, string> InputOf = new(StringComparer.Ordinal)
    {
        [WellKnownTypes.Timer] = "interval",
        [WellKnownTypes.Cron] = "cronExpression",
        [WellKnownTypes.StartAt] = "dateTime",
        [WellKnownTypes.Event] = "eventName",
    };

    /// <summary>Timer, Cron and StartAt triggers: the ones that need a Quartz trigger.</summary>
    public static bool IsScheduled(WorkflowTrigger trigger) => trigger.ActivityType != WellKnownTypes.Event;

    /// <summary>
    /// The trigger activities among the root flowchart's children. Only those: the runtime starts an instance
    /// at a trigger by starting the root flowchart there. An input that is not a literal (an expression) is
    /// skipped: there is no instance yet to evaluate it in.
    /// </summary>
    public static IReadOnlyList<WorkflowTrigger> Find(WorkflowDefinitionVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var triggers = new List<WorkflowTrigger>();
        foreach (var node in version.Graph.Root.Activities)
        {
            if (!InputOf.TryGetValue(node.Type, out var inputName) || !CanStartWorkflow(node)) continue;
            var input = node.Inputs.FirstOrDefault(i => string.Equals(i.Key, inputName, StringComparison.OrdinalIgnoreCase)).Value;
            if (input is null || input.ExpressionType != InputValue.Literal || string.IsNullOrWhiteSpace(input.Text)) continue;
            triggers.Add(new WorkflowTrigger(version.DefinitionId, version.Id, node.Id, node.Type, input.Text.Trim()));
        }
        return triggers;
    }

    private static bool CanStartWorkflow(ActivityNode node)
    {
        var value = node.CustomProperties["canStartWorkflow"] ?? node.Raw["canStartWorkflow"];
        return value is JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }
}
