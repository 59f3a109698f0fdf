using Exit.Workflows.Definitions;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <summary>The token flowchart (semantics §1–§2) and the other activities the engine runs itself.</summary>
internal sealed partial class WorkflowExecution
{
    private static readonly HashSet<string> TerminalTypes = [WellKnownTypes.End, WellKnownTypes.Complete, WellKnownTypes.Finish];

    private bool IsTerminal(string type) =>
        TerminalTypes.Contains(type) || (_registry.FindLatest(type)?.IsTerminal ?? false);

    /// <summary>Runs containers and joins; false for ordinary activities.</summary>
    private ValueTask<bool> TryRunEngineActivityAsync(ActivityNode node, ActivityInstance instance, ActivityExecutionContext context)
    {
        switch (node.Type)
        {
            case WellKnownTypes.Flowchart:
                Journal(instance, JournalEvents.Started);
                DeclareVariables(node);
                instance.Tokens = new List<FlowToken>();
                var start = TriggerChildOf(node) ?? Graph.FlowGraphOf(node).Start;
                if (start is null) CompleteActivity(instance, ["Done"]);
                else Enqueue(new WorkItem(start.NodeId, instance.Id, WorkKind.Execute));
                return ValueTask.FromResult(true);

            case WellKnownTypes.FlowNode:
                Journal(instance, JournalEvents.Started);
                if (node.Body is null) CompleteActivity(instance, ["Done"]);
                else Enqueue(new WorkItem(node.Body.NodeId, instance.Id, WorkKind.Execute));
                return ValueTask.FromResult(true);

            case WellKnownTypes.FlowJoin:
                context.EvaluateDeclaredInputs();
                Journal(instance, JournalEvents.Started);
                // Elsa's FlowJoin (UseTokenFlow false) cancels its in-flight inbound ancestors in every mode.
                if (ParentOf(instance) is { Tokens: not null } flowchart && Graph.Find(flowchart.NodeId) is { } flowchartNode)
                {
                    if (CancelInflightAncestors(flowchart, Graph.FlowGraphOf(flowchartNode), node.Id, except: instance))
                        CompleteIfNoPendingWork(flowchart, includeTokens: false);
                }
                CompleteActivity(instance, ["Done"]);
                return ValueTask.FromResult(true);

            default:
                return ValueTask.FromResult(false);
        }
    }

    private void CompleteTerminal(ActivityInstance instance, ActivityNode node, ActivityResult.Completed result)
    {
        if (node.Type != WellKnownTypes.Finish)
        {
            CompleteActivity(instance, result.Outcomes);
            return;
        }
        // Finish: clears the queue, callbacks and bookmarks; the workflow is Finished.
        instance.Status = ActivityStatus.Completed;
        Journal(instance, JournalEvents.Completed);
        _queue.Clear();
        foreach (var id in _bookmarks.Keys.ToList()) RemoveBookmark(id, discarded: true);
        foreach (var a in _order.Where(a => a.Status is ActivityStatus.Running or ActivityStatus.Pending)) a.Status = ActivityStatus.Completed;
        if (Instance.Status == WorkflowStatus.Running)
        {
            Instance.Status = WorkflowStatus.Finished;
            Instance.SubStatus = WorkflowSubStatus.Finished;
            Instance.FinishedAt = Now;
        }
    }

    /// <summary>§1 "When a child C completes".</summary>
    private void OnFlowchartChildCompleted(ActivityInstance flowchart, ActivityNode flowchartNode, ActivityInstance child, IReadOnlyList<string> outcomes)
    {
        var graph = Graph.FlowGraphOf(flowchartNode);
        var tokens = flowchart.Tokens ??= new List<FlowToken>();

        // 1. Terminal node: complete the flowchart now (cancelling running siblings).
        if (IsTerminal(child.ActivityType))
        {
            tokens.Clear();
            CompleteActivity(flowchart, ["Done"]);
            if (child.ActivityType == WellKnownTypes.Complete)
            {
                var workflow = _order.FirstOrDefault(a => a.ParentId is null);
                if (workflow is not null) CompleteActivity(workflow, outcomes);
            }
            return;
        }

        // 2–3. Active connections emit one token each.
        var effective = outcomes.Count == 0 ? ["Done"] : outcomes;
        var active = graph.Outbound(child.ActivityId).Where(c => effective.Contains(c.Outcome, StringComparer.Ordinal)).ToList();
        foreach (var c in active)
            tokens.Add(new FlowToken { FromActivityId = c.SourceId, Outcome = c.Outcome, ToActivityId = c.TargetId });

        // 4. Consume every live token into the child.
        foreach (var t in tokens)
            if (t.ToActivityId == child.ActivityId && !t.Consumed && !t.Blocked) t.Consumed = true;

        // 5. Schedule targets by their merge mode.
        foreach (var c in active)
            ApplyMergeMode(flowchart, graph, child.ActivityId, c, tokens);

        // 6. Completion check; 7. purge.
        if (!HasPendingWork(flowchart, includeTokens: true))
        {
            tokens.Clear();
            CompleteActivity(flowchart, ["Done"]);
            return;
        }
        tokens.RemoveAll(t => t.ToActivityId == child.ActivityId && t.Consumed);
    }

    private void ApplyMergeMode(ActivityInstance flowchart, FlowGraph graph, string sourceId, FlowConnection connection, List<FlowToken> tokens)
    {
        var targetId = connection.TargetId;
        var target = graph.Children[targetId];
        var mode = MergeModeOf(target, flowchart);
        switch (mode)
        {
            case MergeMode.Stream:
            {
                var inFlight = graph.ForwardInbound(targetId).Any(fi =>
                    tokens.Any(t => t.ToActivityId == fi.SourceId && !t.Consumed && !t.Blocked));
                if (!inFlight) Schedule(flowchart, target);
                break;
            }
            case MergeMode.Merge:
            case MergeMode.Converge:
            {
                var required = mode == MergeMode.Merge ? graph.ForwardInbound(targetId) : graph.Inbound(targetId);
                if (required.Count <= 1 || required.All(r => tokens.Any(t =>
                        t.FromActivityId == r.SourceId && t.Outcome == r.Outcome && t.ToActivityId == targetId && !t.Consumed && !t.Blocked)))
                    Schedule(flowchart, target);
                break;
            }
            case MergeMode.Race:
            case MergeMode.Cascade:
            {
                var cancelled = mode == MergeMode.Race && CancelInflightAncestors(flowchart, graph, targetId, except: null);
                var blocked = tokens.FirstOrDefault(t =>
                    t.FromActivityId == sourceId && t.Outcome == connection.Outcome && t.ToActivityId == targetId && t.Blocked && !t.Consumed);
                if (blocked is not null)
                {
                    blocked.Consumed = true;
                }
                else
                {
                    Schedule(flowchart, target);
                    foreach (var other in graph.ForwardInbound(targetId).Where(fi => fi.SourceId != sourceId))
                        tokens.Add(new FlowToken { FromActivityId = other.SourceId, Outcome = other.Outcome, ToActivityId = targetId, Blocked = true });
                }
                // Elsa runs the narrower check right after cancelling, before queueing the target; we queue first,
                // so the target counts as pending and the flowchart never completes ahead of it (same output).
                if (cancelled) CompleteIfNoPendingWork(flowchart, includeTokens: false);
                break;
            }
        }
    }

    private void Schedule(ActivityInstance flowchart, ActivityNode target) =>
        Enqueue(new WorkItem(target.NodeId, flowchart.Id, WorkKind.Execute));

    private MergeMode MergeModeOf(ActivityNode node, ActivityInstance flowchart)
    {
        if (node.Type == WellKnownTypes.FlowJoin)
        {
            string? mode;
            try
            {
                var probe = new ActivityInstance { Id = "", NodeId = node.NodeId, ActivityId = node.Id, ActivityType = node.Type, ParentId = flowchart.Id };
                var context = new ActivityExecutionContext(this, node, probe, _registry.FindLatest(node.Type));
                mode = context.GetInput<string>("mode");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                mode = null;
            }
            return string.Equals(mode, "WaitAll", StringComparison.OrdinalIgnoreCase)
                   || string.Equals(mode, "WaitAllActive", StringComparison.OrdinalIgnoreCase)
                ? MergeMode.Merge
                : MergeMode.Race;
        }
        var text = node.CustomString("mergeMode");
        if (text is not null && Enum.TryParse<MergeMode>(text, ignoreCase: true, out var parsed)) return parsed;
        return MergeMode.Stream;
    }

    /// <summary>Cancels the target's forward ancestors that are unfinished children of this flowchart.</summary>
    private bool CancelInflightAncestors(ActivityInstance flowchart, FlowGraph graph, string targetId, ActivityInstance? except)
    {
        var ancestors = graph.Ancestors(targetId);
        var victims = ChildrenOf(flowchart)
            .Where(a => a != except && ancestors.Contains(a.ActivityId) && a.Status is not (ActivityStatus.Completed or ActivityStatus.Canceled))
            .ToList();
        foreach (var v in victims) CancelActivity(v, checkParent: false);
        return victims.Count > 0;
    }

    /// <summary>
    /// Pending work of a flowchart: a running or faulted child, a queued item it or a descendant owns, and
    /// (unless <paramref name="includeTokens"/> is false: the narrower check after a cancellation) a live token.
    /// </summary>
    private bool HasPendingWork(ActivityInstance flowchart, bool includeTokens)
    {
        if (ChildrenOf(flowchart).Any(a => a.Status is ActivityStatus.Running or ActivityStatus.Pending or ActivityStatus.Faulted)) return true;
        foreach (var item in _queue)
            if (IsOwnedBy(item.ParentInstanceId, flowchart.Id)) return true;
        return includeTokens && flowchart.Tokens is { } tokens && tokens.Any(t => !t.Consumed && !t.Blocked);
    }

    private void CompleteIfNoPendingWork(ActivityInstance flowchart, bool includeTokens)
    {
        if (flowchart.Status != ActivityStatus.Running || HasPendingWork(flowchart, includeTokens)) return;
        flowchart.Tokens?.Clear();
        CompleteActivity(flowchart, ["Done"]);
    }
}
