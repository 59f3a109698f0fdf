using Exit.Workflows.Definitions;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <summary>Starting a new instance at the trigger activity that fired (Elsa's "start activity: the workflow's trigger").</summary>
internal sealed partial class WorkflowExecution
{
    private bool _triggerStarted;
    private bool _triggerCompleted;

    /// <summary>The trigger activity when it is a child of this flowchart and the instance has not started there yet.</summary>
    private ActivityNode? TriggerChildOf(ActivityNode flowchart)
    {
        if (Trigger is null || _triggerStarted) return null;
        if (!Graph.FlowGraphOf(flowchart).Children.TryGetValue(Trigger.ActivityId, out var child)) return null;
        _triggerStarted = true;
        return child;
    }

    /// <summary>
    /// The trigger's own work (waiting for the time or the event) is what fired, so it completes with Done
    /// instead of suspending again; its inputs are still evaluated so the journal shows them.
    /// </summary>
    private bool TryCompleteFiredTrigger(ActivityNode node, ActivityInstance instance, ActivityExecutionContext context)
    {
        if (Trigger is null || !_triggerStarted || _triggerCompleted || node.Id != Trigger.ActivityId) return false;
        _triggerCompleted = true;
        context.EvaluateDeclaredInputs();
        Journal(instance, JournalEvents.Started);
        if (Trigger.Payload is not null && node.Type == WellKnownTypes.Event) context.SetOutput("Result", Trigger.Payload.DeepClone());
        CompleteActivity(instance, ["Done"]);
        return true;
    }
}
