
namespace Exit.Workflows.Calendar;

/// <summary>
/// The runtime's default due-time calculator, on the scheduling module's rules: Elsa time spans and ISO 8601
/// durations with calendar parts added on the local calendar (P4M is four calendar months), and 6-field
/// Cronos expressions evaluated in the zone.
/// </summary>
public sealed class CalendarDueTimeCalculator : IDueTimeCalculator
{
    public DateTimeOffset Add(DateTimeOffset from, string durationText, TimeZoneInfo zone) =>
        DueTimeCalculator.Add(from, WorkflowDuration.Parse(durationText, DurationConstraint.NonNegative), zone);

    public DateTimeOffset? NextCron(string expression, DateTimeOffset after, TimeZoneInfo zone) =>
        CronSchedule.Parse(expression).GetNextOccurrence(after, zone);
}
