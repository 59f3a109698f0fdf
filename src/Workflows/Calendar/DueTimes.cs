using Exit.Workflows.Timers;

namespace Exit.Workflows.Calendar;

/// <summary>
/// "When is this timer due?" for the runtime: the injected clock plus the configured zone
/// (<see cref="SchedulingOptions.TimeZone"/>, UTC if unknown on the host).
/// </summary>
public sealed class DueTimes(TimeProvider clock, SchedulingOptions options)
{
    /// <summary>The zone calendar durations and cron expressions are evaluated in.</summary>
    public TimeZoneInfo Zone { get; } = options.ResolveTimeZone();

    /// <summary>Now, from the injected clock.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Now + <paramref name="duration"/> (Delay, Timer), by <see cref="DueTimeCalculator.Add"/>.</summary>
    public DateTimeOffset After(WorkflowDuration duration) => DueTimeCalculator.Add(clock.GetUtcNow(), duration, Zone);

    /// <summary>The next occurrence strictly after now (Cron), or <see langword="null"/> if there is none.</summary>
    public DateTimeOffset? NextOccurrence(CronSchedule cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        return cron.GetNextOccurrence(clock.GetUtcNow(), Zone);
    }
}
