using System.Globalization;
using System.Text;

namespace Exit.Workflows.Calendar;

/// <summary>What a caller accepts besides a well-formed duration.</summary>
public enum DurationConstraint
{
    /// <summary>Any duration, negative and zero included.</summary>
    Any,

    /// <summary>Zero or more (a delay of zero resumes at once).</summary>
    NonNegative,

    /// <summary>Strictly more than zero (an interval of zero would fire without end).</summary>
    Positive,
}

/// <summary>
/// A duration as a workflow definition writes it: calendar parts (years, months, days), added on the local
/// calendar, and an exact part, added as elapsed time. See <see cref="DueTimeCalculator"/>.
/// </summary>
/// <remarks>
/// <para>Two spellings are accepted:</para>
/// <list type="bullet">
/// <item><description>
/// Elsa's, a .NET <see cref="TimeSpan"/> in the invariant culture: <c>hh:mm:ss</c>, <c>d.hh:mm:ss</c>,
/// <c>hh:mm</c>, optionally with fractional seconds. As in Elsa (its TypeConverter), a bare number is days:
/// <c>"5"</c> is five days. The whole value is exact elapsed time, as Elsa adds it to "now", so <c>"5"</c>
/// is 120 hours even across a daylight-saving change.
/// </description></item>
/// <item><description>
/// ISO 8601: <c>PnYnMnWnDTnHnMnS</c>, e.g. <c>PT5S</c>, <c>P4M</c>, <c>P2W</c>, <c>P1Y2M10DT2H30M</c>.
/// Years, months, weeks (7 days) and days are calendar parts: <c>P1D</c> is "same time tomorrow", 23 or 25
/// hours across a daylight-saving change. Hours, minutes and seconds are exact. Only seconds may have a
/// fraction (<c>PT0.5S</c>). Weeks may be combined with other parts. A leading <c>-</c> negates the whole
/// duration. Designators are case-insensitive.
/// </description></item>
/// </list>
/// </remarks>
public readonly record struct WorkflowDuration
{
    private const string AcceptedForms =
        "Accepted forms: a .NET time span 'hh:mm:ss' or 'd.hh:mm:ss' (e.g. '00:05:00', '1.12:00:00'; " +
        "as in Elsa, a bare number is days: '5' = 5 days), or an ISO 8601 duration 'PnYnMnWnDTnHnMnS' " +
        "(e.g. 'PT5S', 'P4M', 'P2W', 'P1Y2M10DT2H30M').";

    public WorkflowDuration(int years, int months, int days, TimeSpan time)
    {
        Years = years;
        Months = months;
        Days = days;
        Time = time;
    }

    /// <summary>Calendar years, added on the local calendar.</summary>
    public int Years { get; }

    /// <summary>Calendar months, added on the local calendar and clamped to the month's end.</summary>
    public int Months { get; }

    /// <summary>Calendar days (weeks included, as 7 days each), added on the local calendar.</summary>
    public int Days { get; }

    /// <summary>The exact part, added as elapsed time after the calendar parts.</summary>
    public TimeSpan Time { get; }

    /// <summary>Whether any calendar part (years, months, days) is set.</summary>
    public bool HasCalendarPart => Years != 0 || Months != 0 || Days != 0;

    /// <summary>Whether every part is zero.</summary>
    public bool IsZero => !HasCalendarPart && Time == TimeSpan.Zero;

    /// <summary>Whether the duration points backwards (parsing never mixes signs).</summary>
    public bool IsNegative => Years < 0 || Months < 0 || Days < 0 || Time < TimeSpan.Zero;

    /// <summary>An exact duration, as Elsa's <c>TimeSpan</c> inputs are.</summary>
    public static WorkflowDuration FromTimeSpan(TimeSpan time) => new(0, 0, 0, time);

    /// <summary>Parses either spelling (see the type's remarks).</summary>
    /// <exception cref="FormatException">The text is not a duration or breaks <paramref name="constraint"/>; the message says why.</exception>
    public static WorkflowDuration Parse(string? text, DurationConstraint constraint = DurationConstraint.Any)
    {
        if (!TryParse(text, constraint, out var duration, out var error))
        {
            throw new FormatException(error);
        }

        return duration;
    }

    /// <summary>
    /// Parses either spelling (see the type's remarks). On failure <paramref name="error"/> says what was
    /// wrong and which forms are accepted; it does not name the activity or input, which the caller adds.
    /// </summary>
    public static bool TryParse(
        string? text, DurationConstraint constraint, out WorkflowDuration duration, out string? error)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A duration is required but the value is empty. " + AcceptedForms;
            return false;
        }

        var trimmed = text.Trim();
        var body = trimmed.StartsWith('-') ? trimmed[1..] : trimmed;
        if (body.Length > 0 && (body[0] == 'P' || body[0] == 'p'))
        {
            if (!TryParseIso(trimmed, out duration, out var detail))
            {
                error = $"'{trimmed}' is not a valid ISO 8601 duration: {detail}. {AcceptedForms}";
                return false;
            }
        }
        else if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span))
        {
            duration = FromTimeSpan(span);
        }
        else
        {
            error = $"'{trimmed}' is not a valid duration. {AcceptedForms}";
            return false;
        }

        error = Check(trimmed, duration, constraint);
        return error is null;
    }

    /// <summary>Checks <paramref name="constraint"/> for a duration built in code.</summary>
    public string? Check(DurationConstraint constraint) => Check(ToString(), this, constraint);

    /// <summary>The ISO 8601 spelling, e.g. <c>P4M</c>, <c>PT5S</c>, <c>PT120H</c> for Elsa's <c>"5"</c>.</summary>
    public override string ToString()
    {
        if (IsZero)
        {
            return "PT0S";
        }

        var negative = IsNegative;
        var sb = new StringBuilder(negative ? "-P" : "P");
        Append(sb, Math.Abs((long)Years), 'Y');
        Append(sb, Math.Abs((long)Months), 'M');
        Append(sb, Math.Abs((long)Days), 'D');
        var time = Time.Duration();
        if (time > TimeSpan.Zero)
        {
            sb.Append('T');
            Append(sb, (long)time.TotalHours, 'H');
            Append(sb, time.Minutes, 'M');
            var seconds = time.Ticks % TimeSpan.TicksPerMinute;
            if (seconds != 0)
            {
                var value = (seconds / (decimal)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
                sb.Append(value).Append('S');
            }
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, long value, char designator)
    {
        if (value != 0)
        {
            sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(designator);
        }
    }

    private static string? Check(string text, WorkflowDuration duration, DurationConstraint constraint)
    {
        if (duration.IsNegative && constraint != DurationConstraint.Any)
        {
            return $"Duration '{text}' is negative; a non-negative duration is required.";
        }

        if (duration.IsZero && constraint == DurationConstraint.Positive)
        {
            return $"Duration '{text}' is zero; a duration greater than zero is required.";
        }

        return null;
    }

    private static bool TryParseIso(string text, out WorkflowDuration duration, out string detail)
    {
        duration = default;
        var negative = text[0] == '-';
        var i = negative ? 2 : 1; // past "-P" or "P"
        if (i >= text.Length)
        {
            detail = "it has no parts after 'P' (write e.g. 'PT0S' for zero)";
            return false;
        }

        // Designators in the order they must appear; index 4 onwards are time parts.
        ReadOnlySpan<char> order = ['Y', 'M', 'W', 'D', 'H', 'M', 'S'];
        long years = 0, months = 0, weeks = 0, days = 0;
        decimal hours = 0, minutes = 0, seconds = 0;
        var next = 0;
        var inTime = false;
        var anyPart = false;
        var anyTimePart = false;
        while (i < text.Length)
        {
            var c = char.ToUpperInvariant(text[i]);
            if (c == 'T')
            {
                if (inTime)
                {
                    detail = "'T' appears twice";
                    return false;
                }

                inTime = true;
                next = 4;
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] == ','))
            {
                i++;
            }

            if (i == start)
            {
                detail = $"expected a number at position {i + 1} but found '{text[i]}'";
                return false;
            }

            if (i == text.Length)
            {
                detail = $"the number '{text[start..i]}' has no designator (Y, M, W, D, H, M or S) after it";
                return false;
            }

            var designator = char.ToUpperInvariant(text[i]);
            var slot = -1;
            for (var s = next; s < (inTime ? order.Length : 4); s++)
            {
                if (order[s] == designator)
                {
                    slot = s;
                    break;
                }
            }

            if (slot < 0)
            {
                detail = "YMWDHS".IndexOf(designator) < 0
                    ? $"'{text[i]}' is not a duration designator (Y, M, W, D before 'T'; H, M, S after it)"
                    : !inTime && designator is 'H' or 'S'
                        ? $"'{text[i]}' is a time part and must come after 'T' (e.g. 'PT{text[start..i]}{designator}')"
                        : inTime && designator is 'Y' or 'W' or 'D'
                            ? $"'{text[i]}' is a date part and must come before 'T'"
                            : $"'{text[start..(i + 1)]}' is out of order or repeated (order: Y M W D T H M S)";
                return false;
            }

            var number = text[start..i].Replace(',', '.');
            var hasFraction = number.Contains('.');
            if (hasFraction && slot != 6)
            {
                detail = $"'{text[start..(i + 1)]}': only seconds may have a fraction";
                return false;
            }

            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || (!hasFraction && value > int.MaxValue))
            {
                detail = $"'{text[start..i]}' is not a number in range";
                return false;
            }

            switch (slot)
            {
                case 0: years = (long)value; break;
                case 1: months = (long)value; break;
                case 2: weeks = (long)value; break;
                case 3: days = (long)value; break;
                case 4: hours = value; break;
                case 5: minutes = value; break;
                default: seconds = value; break;
            }

            anyPart = true;
            anyTimePart |= inTime;
            next = slot + 1;
            i++;
        }

        if (inTime && !anyTimePart)
        {
            detail = "'T' must be followed by at least one of H, M, S";
            return false;
        }

        if (!anyPart)
        {
            detail = "it has no parts (write e.g. 'PT0S' for zero)";
            return false;
        }

        try
        {
            var totalDays = checked(days + (weeks * 7));
            var ticks = (hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute) +
                        (seconds * TimeSpan.TicksPerSecond);
            if (totalDays > int.MaxValue || years > 10_000 || months > 120_000 || ticks > TimeSpan.MaxValue.Ticks)
            {
                throw new OverflowException();
            }

            var sign = negative ? -1 : 1;
            duration = new WorkflowDuration(
                sign * (int)years, sign * (int)months, sign * (int)totalDays,
                TimeSpan.FromTicks(sign * (long)decimal.Round(ticks)));
            detail = string.Empty;
            return true;
        }
        catch (OverflowException)
        {
            detail = "it is too large";
            return false;
        }
    }
}
