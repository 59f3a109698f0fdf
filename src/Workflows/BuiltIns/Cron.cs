using Exit.Workflows.Calendar;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.BuiltIns;

/// <summary>Elsa.Cron: a timer bookmark due at the next occurrence of a 6-field (seconds-first) Cronos expression.</summary>
public sealed class Cron : IActivity
{
    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = WellKnownTypes.Cron,
        Category = "Scheduling",
        DisplayName = "Cron",
        Description = "Triggers on a cron schedule: sec min hour day-of-month month day-of-week.",
        Kind = ActivityKind.Trigger,
        Inputs =
        [
            new InputDescriptor
            {
                Name = "CronExpression", ClrType = typeof(string), TypeName = "String", Semantics = InputSemantics.Cron, IsRequired = true,
                Description = "Six fields, seconds first, e.g. \"0 0 * * * *\" for every hour.",
            },
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var expression = context.GetInput<string>("CronExpression")
                         ?? throw new InvalidOperationException("Cron has no cron expression.");
        var next = context.Services.GetRequiredService<IDueTimeCalculator>().NextCron(expression, context.Now, context.TimeZone)
                   ?? throw new InvalidOperationException($"Cron expression '{expression}' has no future occurrence.");
        return ValueTask.FromResult(ActivityResult.Suspend(new BookmarkRequest(DueAt: next)));
    }
}
