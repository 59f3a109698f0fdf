using System.Globalization;
using System.Xml;
using Cronos;

namespace Exit.Workflows.Execution;

/// <summary>Turns the duration and cron inputs of timer activities into instants.</summary>
public interface IDueTimeCalculator
{
    /// <summary><paramref name="from"/> plus a duration ("00:05:00", "5" = five days, or ISO 8601 "PT5M").</summary>
    DateTimeOffset Add(DateTimeOffset from, string durationText, TimeZoneInfo zone);

    /// <summary>The next occurrence strictly after <paramref name="after"/> of a 6-field (seconds) cron expression; null if none.</summary>
    DateTimeOffset? NextCron(string expression, DateTimeOffset after, TimeZoneInfo zone);
}

/// <summary>
/// A simple calculator: durations as fixed-length time spans (ISO months and years are approximated by
/// <see cref="XmlConvert.ToTimeSpan"/>), cron through Cronos with seconds in the given zone.
/// The scheduling module provides the calendar-correct replacement.
/// </summary>
public sealed class SimpleDueTimeCalculator : IDueTimeCalculator
{
    public DateTimeOffset Add(DateTimeOffset from, string durationText, TimeZoneInfo zone) => from + ParseDuration(durationText);

    public DateTimeOffset? NextCron(string expression, DateTimeOffset after, TimeZoneInfo zone) =>
        CronExpression.Parse(expression.Trim(), CronFormat.IncludeSeconds).GetNextOccurrence(after, zone);

    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim();
        if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var ts)) return ts;
        try
        {
            return XmlConvert.ToTimeSpan(t);
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{text}' is not a duration (use hh:mm:ss, d.hh:mm:ss or ISO 8601 such as PT5M).", e);
        }
    }
}
