using System.Runtime.CompilerServices;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;

namespace Exit.Workflows.Execution;

/// <summary>
/// Lookups over one <see cref="WorkflowGraph"/>: nodes by node id, each node's container, flow graphs and
/// the variables in scope. Built once per graph object and cached weakly.
/// </summary>
internal sealed class GraphIndex
{
    public const string WorkflowNodeId = "Workflow1";
    private static readonly ConditionalWeakTable<WorkflowGraph, GraphIndex> Cache = new();

    private readonly Dictionary<string, ActivityNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityNode> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlowGraph> _flowGraphs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<VariableDefinition>> _scopes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declaredIds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public WorkflowGraph Graph { get; }
    public ActivityNode WorkflowNode { get; }

    /// <summary>Root variables whose type resolves; the others are dropped, as Elsa does.</summary>
    public IReadOnlyList<VariableDefinition> RootVariables { get; }

    public static GraphIndex For(WorkflowGraph graph) => Cache.GetValue(graph, g => new GraphIndex(g));

    private GraphIndex(WorkflowGraph graph)
    {
        Graph = graph;
        WorkflowNode = new ActivityNode { Id = WorkflowNodeId, NodeId = WorkflowNodeId, Type = WellKnownTypes.Workflow, Body = graph.Root };
        RootVariables = graph.Variables.Where(v => VariableTypes.Resolve(v) is not null).ToList();
        _nodes[WorkflowNodeId] = WorkflowNode;
        Index(graph.Root, WorkflowNode);
        foreach (var v in graph.Variables) _declaredIds.Add(v.Id);
    }

    /// <summary>True for the id of any variable the graph declares (anywhere); other ids are script-created.</summary>
    public bool IsDeclared(string variableId) => _declaredIds.Contains(variableId);

    private void Index(ActivityNode node, ActivityNode parent)
    {
        _nodes.TryAdd(node.NodeId, node);
        _parents.TryAdd(node.NodeId, parent);
        foreach (var v in node.Variables) _declaredIds.Add(v.Id);
        foreach (var child in node.Activities) Index(child, node);
        if (node.Body is not null) Index(node.Body, node);
    }

    public ActivityNode? Find(string nodeId) => _nodes.GetValueOrDefault(nodeId);

    public ActivityNode? ParentOf(ActivityNode node) => _parents.GetValueOrDefault(node.NodeId);

    public FlowGraph FlowGraphOf(ActivityNode flowchart)
    {
        lock (_lock)
        {
            if (!_flowGraphs.TryGetValue(flowchart.NodeId, out var g))
                _flowGraphs[flowchart.NodeId] = g = new FlowGraph(flowchart);
            return g;
        }
    }

    /// <summary>Declared variables of a container (the workflow's for the workflow node), typed ones only.</summary>
    public IReadOnlyList<VariableDefinition> DeclaredBy(ActivityNode container) =>
        container.NodeId == WorkflowNodeId
            ? RootVariables
            : container.Variables.Where(v => VariableTypes.Resolve(v) is not null && RootVariables.All(r => r.Id != v.Id)).ToList();

    /// <summary>The variables visible from a node, nearest container first, the workflow's last.</summary>
    public IReadOnlyList<VariableDefinition> VisibleFrom(ActivityNode node)
    {
        lock (_lock)
        {
            if (_scopes.TryGetValue(node.NodeId, out var cached)) return cached;
            var result = new List<VariableDefinition>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var n = node; n is not null; n = ParentOf(n))
            {
                if (!n.IsContainer && n.NodeId != WorkflowNodeId) continue;
                foreach (var v in DeclaredBy(n))
                    if (ids.Add(v.Id)) result.Add(v);
            }
            _scopes[node.NodeId] = result;
            return result;
        }
    }
}
