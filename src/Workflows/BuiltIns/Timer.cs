using Exit.Workflows.Calendar;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.BuiltIns;

/// <summary>
/// Elsa.Timer: as a trigger it starts an instance every interval; inside a running flow it waits one
/// interval (a timer bookmark due at now + interval), then completes with Done.
/// </summary>
public sealed class Timer : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Timer,
        Category = "Scheduling",
        DisplayName = "Timer",
        Description = "Triggers at a fixed interval.",
        Kind = ActivityKind.Trigger,
        Inputs =
        [
            new InputDescriptor
            {
                Name = "Interval", ClrType = typeof(string), TypeName = "TimeSpan", DefaultValue = "00:01:00",
                Semantics = InputSemantics.Duration, IsRequired = true, Description = "The interval (hh:mm:ss or ISO 8601).",
            },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var interval = context.GetInput<string>("Interval") ?? "00:01:00";
        var due = context.Services.GetRequiredService<IDueTimeCalculator>().Add(context.Now, interval, context.TimeZone);
        return ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(DueAt: due)));
    }
}
