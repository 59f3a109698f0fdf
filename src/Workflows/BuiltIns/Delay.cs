using Exit.Workflows.Calendar;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Delay: a timer bookmark due at now + timeSpan; Done when the scheduler resumes it.</summary>
public sealed class Delay : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Delay,
        Category = "Scheduling",
        DisplayName = "Delay",
        Description = "Waits for the given duration.",
        Inputs =
        [
            new InputDescriptor
            {
                Name = "TimeSpan", ClrType = typeof(string), TypeName = "TimeSpan", DefaultValue = "00:01:00",
                Semantics = InputSemantics.Duration, IsRequired = true, Description = "How long to wait (hh:mm:ss or ISO 8601, e.g. PT5M).",
            },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var duration = context.GetInput<string>("TimeSpan") ?? "00:01:00";
        var due = context.Services.GetRequiredService<IDueTimeCalculator>().Add(context.Now, duration, context.TimeZone);
        return ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(DueAt: due)));
    }
}
