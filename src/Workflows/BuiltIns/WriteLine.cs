using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.WriteLine: the evaluated text goes to the journal (activity state "Text"); null is an empty line.</summary>
public sealed class WriteLine : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.WriteLine,
        Category = "Console",
        DisplayName = "Write Line",
        Description = "Writes a line of text to the journal.",
        Inputs = [new InputDescriptor { Name = "Text", ClrType = typeof(string), TypeName = "String", Description = "The text to write." }],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        context.Log(context.GetInput<string>("Text") ?? "");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
