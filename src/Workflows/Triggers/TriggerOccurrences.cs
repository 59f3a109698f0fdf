using System.Globalization;
using Exit.Workflows.Definitions;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>When a scheduled trigger fires next, by the same duration and cron rules as the timer bookmarks.</summary>
public sealed class TriggerOccurrences(DueTimes dueTimes)
{
    /// <summary>
    /// The next firing after now: Timer now + interval, Cron the next occurrence, StartAt its instant if still
    /// ahead. Null when there is none (a StartAt that has passed fired already, or was published too late).
    /// </summary>
    /// <exception cref="FormatException">The input does not parse; publishing validates it, so only for stale data.</exception>
    public DateTimeOffset? Next(WorkflowTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        switch (trigger.ActivityType)
        {
            case WellKnownTypes.Timer:
                return dueTimes.After(WorkflowDuration.Parse(trigger.Input, DurationConstraint.Positive));
            case WellKnownTypes.Cron:
                return dueTimes.NextOccurrence(CronSchedule.Parse(trigger.Input));
            case WellKnownTypes.StartAt:
                var at = DateTimeOffset.Parse(trigger.Input, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                return at > dueTimes.Now ? at : null;
            default:
                return null;
        }
    }
}
