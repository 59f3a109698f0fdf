using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.StartAt: Done at once when the instant has passed, else a timer bookmark due then.</summary>
public sealed class StartAt : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.StartAt,
        Category = "Scheduling",
        DisplayName = "Start At",
        Description = "Waits until the given instant.",
        Kind = ActivityKind.Trigger,
        Inputs =
        [
            new InputDescriptor
            {
                Name = "DateTime", ClrType = typeof(DateTimeOffset), TypeName = "DateTimeOffset", UiHint = "datetime-picker",
                Semantics = InputSemantics.DateTime, IsRequired = true,
            },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var at = context.GetInput<DateTimeOffset>("DateTime");
        return ValueTask.FromResult(at <= context.Now
            ? ActivityResult.Done
            : ActivityResult.Suspend(new BookmarkRequest(DueAt: at)));
    }
}
