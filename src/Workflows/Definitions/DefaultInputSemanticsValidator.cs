using System.Globalization;
using System.Xml;
using Cronos;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Duration and cron checks that need no scheduler: a duration is <c>[-][d.]hh:mm[:ss[.fffffff]]</c> (invariant
/// <see cref="TimeSpan"/> text, as Elsa converts it, so "5" means 5 days) or ISO 8601 (<c>PT5M</c>), and must not
/// be negative; a cron expression is Cronos with seconds (6 fields, as Elsa's Cron activity parses it).
/// </summary>
public sealed class DefaultInputSemanticsValidator : IInputSemanticsValidator
{
    public static DefaultInputSemanticsValidator Instance { get; } = new();

    public string? ValidateDuration(string text)
    {
        var trimmed = text.Trim();
        if (!TryParseDuration(trimmed, out var duration))
            return $"'{text}' is not a duration; write [d.]hh:mm:ss (e.g. 00:05:00 for five minutes, 1.00:00:00 for a day) or ISO 8601 (e.g. PT5M).";
        if (duration < TimeSpan.Zero)
            return $"'{text}' is a negative duration; a duration must be zero or more.";
        return null;
    }

    public string? ValidateCron(string text)
    {
        try
        {
            CronExpression.Parse(text.Trim(), CronFormat.IncludeSeconds);
            return null;
        }
        catch (CronFormatException ex)
        {
            return $"'{text}' is not a valid cron expression (6 fields: second minute hour day-of-month month day-of-week, in UTC): {ex.Message}";
        }
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration)) return true;
        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }
        }
        duration = default;
        return false;
    }
}
