using Exit.Workflows.Execution;
using Exit.Workflows.Scheduling;

namespace Exit.Workflows.Hosting;

/// <summary>The engine's due-time arithmetic done by the scheduling module: calendar months and days in the zone.</summary>
public sealed class CalendarDueTimeCalculator : IDueTimeCalculator
{
    public DateTimeOffset Add(DateTimeOffset from, string durationText, TimeZoneInfo zone) =>
        DueTimeCalculator.Add(from, WorkflowDuration.Parse(durationText, DurationConstraint.NonNegative), zone);

    public DateTimeOffset? NextCron(string expression, DateTimeOffset after, TimeZoneInfo zone) =>
        CronSchedule.Parse(expression).GetNextOccurrence(after, zone);
}
