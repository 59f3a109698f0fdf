namespace Exit.Workflows.Calendar;

/// <summary>Turns the duration and cron inputs of timer activities into instants.</summary>
public interface IDueTimeCalculator
{
    /// <summary><paramref name="from"/> plus a duration ("00:05:00", "5" = five days, or ISO 8601 "PT5M").</summary>
    DateTimeOffset Add(DateTimeOffset from, string durationText, TimeZoneInfo zone);

    /// <summary>The next occurrence strictly after <paramref name="after"/> of a 6-field (seconds) cron expression; null if none.</summary>
    DateTimeOffset? NextCron(string expression, DateTimeOffset after, TimeZoneInfo zone);
}
