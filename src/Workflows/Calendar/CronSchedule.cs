using System.Globalization;
using Cronos;

namespace Exit.Workflows.Calendar;

/// <summary>
/// An <c>Elsa.Cron</c> expression: Cronos with seconds, six fields <c>sec min hour dom month dow</c>
/// (no year), e.g. <c>0 0 * * * *</c> = every hour on the hour.
/// </summary>
/// <remarks>
/// <para>
/// <b>Six fields only.</b> A five-field expression (classic Unix cron) is rejected with a hint to prepend
/// the seconds, as Elsa rejects it: accepting it would make a definition valid here and invalid in Elsa,
/// and <c>0 * * * *</c> would silently mean something different in each.
/// </para>
/// <para>
/// <b>Zone.</b> Occurrences are computed in the configured zone (<see cref="SchedulingOptions.TimeZone"/>,
/// Europe/Copenhagen by default, UTC if the zone is unknown on the host). Elsa uses UTC. We do not because
/// a case worker who writes <c>0 0 8 * * MON-FRI</c> means 08:00 in Denmark all year; in UTC that
/// drifts to 09:00 or 10:00 local with daylight saving. Expressions that do not name an hour (every
/// minute, every hour) fire at the same instants either way. Around a daylight-saving change Cronos
/// fires a time that falls in the spring gap just after the gap, and one that falls in the autumn
/// overlap once (at its first occurrence), except for expressions that repeat within the hour.
/// </para>
/// </remarks>
public sealed class CronSchedule
{
    private static readonly FieldSpec[] Fields =
    [
        new("Seconds", 0, 59, null),
        new("Minutes", 0, 59, null),
        new("Hours", 0, 23, null),
        new("Day of month", 1, 31, null),
        new("Month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        new("Day of week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ];

    private const string Format =
        "Expected 6 fields: seconds minutes hours day-of-month month day-of-week (e.g. '0 0 * * * *' = every hour).";

    private readonly CronExpression expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        this.expression = expression;
    }

    /// <summary>The expression as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>Parses and validates an expression.</summary>
    /// <exception cref="FormatException">The expression is invalid; the message names the field where it can.</exception>
    public static CronSchedule Parse(string? text)
    {
        if (!TryParse(text, out var schedule, out var error))
        {
            throw new FormatException(error);
        }

        return schedule;
    }

    /// <summary>
    /// Parses and validates an expression. On failure <paramref name="error"/> names the failing field
    /// where it can, e.g. <c>Seconds: value 60 is out of range 0–59</c>; the caller adds the activity
    /// and input.
    /// </summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A cron expression is required but the value is empty. " + Format;
            return false;
        }

        var trimmed = text.Trim();
        var parts = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            error = parts.Length == 5
                ? $"Cron expression '{trimmed}' has 5 fields, but seconds come first here (Cronos with seconds, as in Elsa). " +
                  $"{Format} Did you mean '0 {string.Join(' ', parts)}'?"
                : $"Cron expression '{trimmed}' has {parts.Length} field{(parts.Length == 1 ? "" : "s")}. {Format}";
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var fieldError = Fields[i].Check(parts[i]);
            if (fieldError is not null)
            {
                error = $"Cron expression '{trimmed}': {Fields[i].Name}: {fieldError}. {Format}";
                return false;
            }
        }

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(string.Join(' ', parts), CronFormat.IncludeSeconds);
        }
        catch (CronFormatException ex)
        {
            error = $"Cron expression '{trimmed}': {StripCronosPrefix(ex.Message)} {Format}";
            return false;
        }

        // A valid expression can still never occur (30 February). Cronos looks ahead a bounded number of years.
        if (parsed.GetNextOccurrence(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null)
        {
            error = $"Cron expression '{trimmed}' never occurs (e.g. a day that does not exist in the month).";
            return false;
        }

        schedule = new CronSchedule(trimmed, parsed);
        error = null;
        return true;
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="from"/>, evaluated in <paramref name="zone"/>,
    /// expressed in that zone's offset; <see langword="null"/> when there is none within Cronos' horizon.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset from, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return expression.GetNextOccurrence(from, zone, inclusive: false);
    }

    public override string ToString() => Text;

    private static string StripCronosPrefix(string message)
    {
        const string prefix = "The given cron expression has an invalid format.";
        var trimmed = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..].Trim() : message;
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }

    /// <summary>A field's name and range, and a light check that names the exact problem.</summary>
    private sealed record FieldSpec(string Name, int Min, int Max, string[]? Names)
    {
        private string Range => Names is null
            ? $"{Min}–{Max}"
            : $"{Min}–{Max} or {Names[0]}–{Names[^1]}";

        /// <summary>
        /// Checks the plain numbers in a field (lists, ranges, steps). Anything it does not understand
        /// (L, W, #, ?) it leaves to Cronos, whose message is used then.
        /// </summary>
        public string? Check(string field)
        {
            foreach (var item in field.Split(','))
            {
                if (item.Length == 0)
                {
                    return $"'{field}' has an empty list item";
                }

                var slash = item.IndexOf('/');
                var rangePart = slash < 0 ? item : item[..slash];
                if (slash >= 0)
                {
                    var step = item[(slash + 1)..];
                    if (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                    {
                        return $"step '{step}' in '{item}' is not a number";
                    }

                    if (s < 1 || s > Max)
                    {
                        return $"step {s} in '{item}' is out of range 1–{Max}";
                    }
                }

                if (rangePart is "*" or "?")
                {
                    continue;
                }

                foreach (var bound in rangePart.Split('-'))
                {
                    if (bound.Length == 0)
                    {
                        return $"'{item}' is not a valid value or range";
                    }

                    if (char.IsAsciiDigit(bound[0]))
                    {
                        if (!int.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                        {
                            // Digits followed by something else (L, W, #): Cronos decides.
                            if (bound.All(char.IsAsciiDigit))
                            {
                                return $"value {bound} is out of range {Range}";
                            }

                            continue;
                        }

                        if (v < Min || v > Max)
                        {
                            return $"value {v} is out of range {Range}";
                        }
                    }
                    else if (char.IsAsciiLetter(bound[0]) && bound.All(char.IsAsciiLetter) && bound.Length > 1 &&
                             !bound.Equals("L", StringComparison.OrdinalIgnoreCase) &&
                             !bound.Equals("LW", StringComparison.OrdinalIgnoreCase))
                    {
                        if (Names is null || !Names.Contains(bound, StringComparer.OrdinalIgnoreCase))
                        {
                            return Names is null
                                ? $"'{bound}' is not a number (expected {Range})"
                                : $"'{bound}' is not a valid name (expected {Range})";
                        }
                    }
                }
            }

            return null;
        }
    }
}
