using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>
/// Elsa.Complete: terminal; completes its flowchart and then the workflow with the given outcomes
/// (a string is one outcome, a string list many, anything else Done).
/// </summary>
public sealed class Complete : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Complete,
        Category = "Primitives",
        DisplayName = "Complete",
        Description = "Completes the workflow with the given outcomes.",
        IsTerminal = true,
        Inputs =
        [
            new InputDescriptor { Name = "Outcomes", ClrType = typeof(object), TypeName = "Object", UiHint = "outcome-picker", Description = "The outcome or outcomes to complete with." },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        string[] outcomes = context.GetInput<object>("Outcomes") switch
        {
            string s when !string.IsNullOrEmpty(s) => [s],
            JsonArray a => a.Select(n => n?.ToString()).OfType<string>().ToArray(),
            IEnumerable<string> list => list.ToArray(),
            _ => [],
        };
        return ValueTask.FromResult(ActivityResult.Complete(outcomes));
    }
}
