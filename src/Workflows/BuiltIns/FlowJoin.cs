using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>
/// Elsa.FlowJoin, run by the engine itself: WaitAny joins race (first arrival wins, in-flight ancestors are
/// cancelled), WaitAll and WaitAllActive wait for a token on every forward inbound connection.
/// </summary>
public static class FlowJoin
{
    public const string WaitAny = "WaitAny";
    public const string WaitAll = "WaitAll";
    public const string WaitAllActive = "WaitAllActive";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.FlowJoin,
        Category = "Branching",
        DisplayName = "Join",
        Description = "Merges branches: waits for any or for all of them.",
        Inputs =
        [
            new InputDescriptor
            {
                Name = "Mode", ClrType = typeof(string), TypeName = "Elsa.Workflows.Activities.Flowchart.Models.FlowJoinMode, Elsa.Workflows.Core",
                UiHint = "dropdown", DefaultValue = WaitAny,
                Options = [new SelectOption("Wait Any", WaitAny), new SelectOption("Wait All", WaitAll), new SelectOption("Wait All Active", WaitAllActive)],
            },
        ],
    };
}
