using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

public sealed class FlowGraphTests
{
    private static ActivityNode Node(string id, string type = "Elsa.WriteLine") => new() { Id = id, NodeId = "Workflow1:F:" + id, Type = type };

    private static FlowGraph Graph(ActivityNode[] activities, params (string From, string To, string Port)[] connections) =>
        new(new ActivityNode
        {
            Id = "F", NodeId = "Workflow1:F", Type = WellKnownTypes.Flowchart, Activities = activities,
            Connections = connections.Select(c => new FlowConnection(c.From, c.Port, c.To, "In")).ToList(),
        });

    [Fact]
    public void LoopBack_IsBackward_AndNotAnInboundForwardEdgeOfTheLoopEntry()
    {
        var g = Graph([Node("W1"), Node("Inc"), Node("D", WellKnownTypes.FlowDecision), Node("Retry"), Node("Done"), Node("S", WellKnownTypes.Start)],
            ("W1", "Inc", "Done"), ("D", "Done", "True"), ("D", "Retry", "False"), ("S", "W1", "Done"), ("Retry", "W1", "Done"), ("Inc", "D", "Done"));

        Assert.Equal("S", g.Start!.Id);
        Assert.Equal(["S"], g.ForwardInbound("W1").Select(c => c.SourceId));
        Assert.Equal(["S", "Retry"], g.Inbound("W1").Select(c => c.SourceId));
        Assert.Equal(new HashSet<string> { "S", "W1", "Inc", "D" }, g.Ancestors("Retry").ToHashSet());
    }

    [Fact]
    public void Start_WithoutStartActivity_IsTheFirstActivityWithoutInboundConnection()
    {
        var g = Graph([Node("B"), Node("A"), Node("C")], ("A", "B", "Done"), ("C", "B", "Done"));

        Assert.Equal("A", g.Start!.Id);
        // C is unreachable from the start: its edge is backward.
        Assert.Equal(["A"], g.ForwardInbound("B").Select(c => c.SourceId));
    }

    [Fact]
    public void DuplicateConnections_CountOnce_AndSelfLoopsAreBackward()
    {
        var g = Graph([Node("S", WellKnownTypes.Start), Node("A")], ("S", "A", "Done"), ("S", "A", "Done"), ("A", "A", "Done"));

        Assert.Single(g.Outbound("S"));
        Assert.Equal(["S"], g.ForwardInbound("A").Select(c => c.SourceId));
    }

    [Fact]
    public void EmptyFlowchart_HasNoStart() => Assert.Null(Graph([]).Start);
}
