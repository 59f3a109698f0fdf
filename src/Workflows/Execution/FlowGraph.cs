using System.Collections.Concurrent;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Execution;

/// <summary>
/// The shape of one flowchart as the token algorithm sees it (semantics §1): its start activity, its
/// de-duplicated connections, and which of them are forward (found by BFS from the start without closing a
/// cycle) or backward (loop-backs and edges from unreachable activities). Computed once per flowchart node.
/// </summary>
public sealed class FlowGraph
{
    private readonly Dictionary<string, List<FlowConnection>> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FlowConnection>> _inbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FlowConnection>> _forwardInbound = new(StringComparer.Ordinal);
    private readonly HashSet<FlowConnection> _forward = new();
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _ancestors = new(StringComparer.Ordinal);

    public ActivityNode Flowchart { get; }
    public ActivityNode? Start { get; }
    public IReadOnlyDictionary<string, ActivityNode> Children { get; }

    /// <summary>Connections with both ends known, duplicates removed, in JSON order.</summary>
    public IReadOnlyList<FlowConnection> Connections { get; }

    public FlowGraph(ActivityNode flowchart)
    {
        Flowchart = flowchart;
        var children = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var a in flowchart.Activities) children.TryAdd(a.Id, a);
        Children = children;

        var seen = new HashSet<(string, string, string, string?)>();
        var connections = new List<FlowConnection>();
        foreach (var c in flowchart.Connections)
        {
            if (!children.ContainsKey(c.SourceId) || !children.ContainsKey(c.TargetId)) continue;
            if (!seen.Add((c.SourceId, c.Outcome, c.TargetId, c.TargetPort))) continue;
            connections.Add(c);
            Add(_outbound, c.SourceId, c);
            Add(_inbound, c.TargetId, c);
        }
        Connections = connections;
        Start = FindStart(flowchart, connections);
        ClassifyEdges();
    }

    public IReadOnlyList<FlowConnection> Outbound(string activityId) => _outbound.GetValueOrDefault(activityId) ?? [];
    public IReadOnlyList<FlowConnection> Inbound(string activityId) => _inbound.GetValueOrDefault(activityId) ?? [];
    public IReadOnlyList<FlowConnection> ForwardInbound(string activityId) => _forwardInbound.GetValueOrDefault(activityId) ?? [];
    public bool IsForward(FlowConnection connection) => _forward.Contains(connection);

    /// <summary>The activities that reach <paramref name="activityId"/> over forward edges (thread-safe: graphs are shared).</summary>
    public IReadOnlySet<string> Ancestors(string activityId) => _ancestors.GetOrAdd(activityId, ComputeAncestors);

    private IReadOnlySet<string> ComputeAncestors(string activityId)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(activityId);
        while (stack.Count > 0)
        {
            foreach (var c in ForwardInbound(stack.Pop()))
                if (result.Add(c.SourceId)) stack.Push(c.SourceId);
        }
        return result;
    }

    private static ActivityNode? FindStart(ActivityNode flowchart, List<FlowConnection> connections)
    {
        var activities = flowchart.Activities;
        if (activities.Count == 0) return null;
        var start = activities.FirstOrDefault(a => a.Type == WellKnownTypes.Start)
                    ?? activities.FirstOrDefault(CanStartWorkflow);
        if (start is not null) return start;
        var targets = connections.Select(c => c.TargetId).ToHashSet(StringComparer.Ordinal);
        return activities.FirstOrDefault(a => !targets.Contains(a.Id)) ?? activities[0];
    }

    private static bool CanStartWorkflow(ActivityNode node)
    {
        var value = node.CustomProperties["canStartWorkflow"] ?? node.Raw["canStartWorkflow"];
        return value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }

    private void ClassifyEdges()
    {
        if (Start is null) return;
        var accepted = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal) { Start.Id };
        var queue = new Queue<string>();
        queue.Enqueue(Start.Id);
        while (queue.Count > 0)
        {
            var source = queue.Dequeue();
            foreach (var c in Outbound(source))
            {
                if (c.TargetId == source || Reaches(accepted, c.TargetId, source)) continue;
                _forward.Add(c);
                Add(_forwardInbound, c.TargetId, c);
                if (!accepted.TryGetValue(source, out var list)) accepted[source] = list = new List<string>();
                list.Add(c.TargetId);
                if (visited.Add(c.TargetId)) queue.Enqueue(c.TargetId);
            }
        }
    }

    private static bool Reaches(Dictionary<string, List<string>> edges, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var stack = new Stack<string>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n == to) return true;
            if (!edges.TryGetValue(n, out var next)) continue;
            foreach (var t in next)
                if (seen.Add(t)) stack.Push(t);
        }
        return false;
    }

    private static void Add(Dictionary<string, List<FlowConnection>> map, string key, FlowConnection c)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = new List<FlowConnection>();
        list.Add(c);
    }
}
