using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Event: waits on a bookmark keyed by the event name; the published payload is its Result.</summary>
public sealed class Event : IResumableActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Event,
        Category = "Primitives",
        DisplayName = "Event",
        Description = "Waits until an event with this name is published.",
        Kind = ActivityKind.Trigger,
        Inputs = [new InputDescriptor { Name = "EventName", ClrType = typeof(string), TypeName = "String", IsRequired = true }],
        Outputs = [new OutputDescriptor("Result", "Object", "Result", "The event payload.")],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var name = context.GetInput<string>("EventName");
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidOperationException("Event has no event name.");
        return ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(Key: name)));
    }

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        context.SetOutput("Result", input.Input);
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
