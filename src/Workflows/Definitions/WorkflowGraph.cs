namespace Exit.Workflows.Definitions;

/// <summary>The executable part of a definition version: its root container and root variables.</summary>
public sealed class WorkflowGraph
{
    public required ActivityNode Root { get; init; }
    public IReadOnlyList<VariableDefinition> Variables { get; init; } = [];

    /// <summary>Every activity in the graph, containers and FlowNode bodies included, by node id.</summary>
    public IEnumerable<ActivityNode> Descendants()
    {
        var stack = new Stack<ActivityNode>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.Body is not null) stack.Push(node.Body);
            for (var i = node.Activities.Count - 1; i >= 0; i--) stack.Push(node.Activities[i]);
        }
    }
}
