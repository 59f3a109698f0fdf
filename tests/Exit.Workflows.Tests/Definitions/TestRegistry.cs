using System.Text.Json;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.Tests.Definitions;

/// <summary>
/// Descriptors for the Elsa built-ins the conformance fixtures use, so definition tests do not depend on the
/// engine's real registry. Inputs, ports and semantics follow elsa-semantics.md §3.
/// </summary>
internal static class TestRegistry
{
    public static ActivityRegistry Create(params ActivityDescriptor[] extra) => new(Descriptors().Concat(extra));

    public static IEnumerable<ActivityDescriptor> Descriptors()
    {
        yield return Describe(WellKnownTypes.Flowchart, "Flow") with { IsContainer = true };
        yield return Describe(WellKnownTypes.Start, "Flow") with { IsStart = true };
        yield return Describe(WellKnownTypes.End, "Flow") with { IsTerminal = true };
        yield return Describe(WellKnownTypes.Complete, "Flow", Input("Outcomes", typeof(object), "Object")) with { IsTerminal = true };
        yield return Describe(WellKnownTypes.Finish, "Flow") with { IsTerminal = true };
        yield return Describe(WellKnownTypes.Fault, "Primitives",
            Input("Code", typeof(string), "String"), Input("Category", typeof(string), "String"),
            Input("FaultType", typeof(string), "String"), Input("Message", typeof(string), "String")) with { IsTerminal = true };
        yield return Describe(WellKnownTypes.WriteLine, "Primitives", Input("Text", typeof(string), "String"));
        yield return Describe(WellKnownTypes.SetVariable, "Primitives",
            Input("Variable", typeof(VariableDefinition), "Variable") with { IsWrapped = false, IsRequired = true },
            Input("Value", typeof(object), "Object"));
        yield return Describe(WellKnownTypes.FlowDecision, "Branching", Input("Condition", typeof(bool), "Boolean")) with { Ports = ["True", "False"] };
        yield return Describe(WellKnownTypes.FlowFork, "Branching", Input("Branches", typeof(string[]), "String[]")) with { DynamicPorts = ForkBranches };
        yield return Describe(WellKnownTypes.FlowJoin, "Branching", Input("Mode", typeof(string), "String"));
        yield return Describe(WellKnownTypes.FlowNode, "Flow");
        yield return Describe(WellKnownTypes.Delay, "Scheduling", Input("TimeSpan", typeof(TimeSpan), "TimeSpan") with { Semantics = InputSemantics.Duration });
        yield return Describe(WellKnownTypes.Timer, "Scheduling", Input("Interval", typeof(TimeSpan), "TimeSpan") with { Semantics = InputSemantics.Duration }) with { Kind = ActivityKind.Trigger };
        yield return Describe(WellKnownTypes.StartAt, "Scheduling", Input("DateTime", typeof(DateTimeOffset), "DateTimeOffset") with { Semantics = InputSemantics.DateTime });
        yield return Describe(WellKnownTypes.Cron, "Scheduling", Input("CronExpression", typeof(string), "String") with { Semantics = InputSemantics.Cron, IsRequired = true }) with { Kind = ActivityKind.Trigger };
        yield return Describe(WellKnownTypes.Event, "Primitives", Input("EventName", typeof(string), "String") with { IsRequired = true }) with { Kind = ActivityKind.Trigger };
    }

    public static ActivityDescriptor Describe(string typeName, string category, params InputDescriptor[] inputs) => new()
    {
        TypeName = typeName,
        Category = category,
        DisplayName = typeName[(typeName.LastIndexOf('.') + 1)..],
        Inputs = inputs,
    };

    public static InputDescriptor Input(string name, Type clrType, string typeName) => new() { Name = name, ClrType = clrType, TypeName = typeName };

    private static IReadOnlyList<string> ForkBranches(ActivityNode node)
    {
        if (!node.Inputs.TryGetValue("branches", out var input) || string.IsNullOrWhiteSpace(input.Text)) return ["Done"];
        var text = input.Text.Trim();
        return text.StartsWith('[')
            ? JsonSerializer.Deserialize<string[]>(text) ?? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
