using System.Globalization;
using System.Text.RegularExpressions;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Turns a relative due time into an instant. The single seam for calendar arithmetic, so a shared
/// calendar-correct calculator can replace <see cref="DueDateCalculator"/> without touching the activity.
/// </summary>
public interface IDueDateCalculator
{
    /// <summary>
    /// <paramref name="from"/> plus <paramref name="duration"/>, where the duration is Elsa's <c>d.hh:mm:ss</c>
    /// (elapsed time) or ISO 8601 (<c>P1Y2M14DT2H</c>, <c>P2W</c>): years, months, weeks and days are
    /// calendar units in <paramref name="zone"/>, the time part is elapsed time.
    /// </summary>
    /// <exception cref="FormatException">The duration is neither form.</exception>
    DateTimeOffset Add(DateTimeOffset from, string duration, TimeZoneInfo zone);
}

public sealed partial class DueDateCalculator : IDueDateCalculator
{
    [GeneratedRegex(
        @"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:[.,]\d+)?)S)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoDuration();

    public DateTimeOffset Add(DateTimeOffset from, string duration, TimeZoneInfo zone)
    {
        var text = duration.Trim();
        if (text.Length > 0 && (text[0] == 'P' || text[0] == 'p'))
            return AddIso(from, text, zone);

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
            return from + span;

        throw new FormatException($"'{duration}' is not a duration (use d.hh:mm:ss or ISO 8601 such as P14D, P1M, PT2H).");
    }

    private static DateTimeOffset AddIso(DateTimeOffset from, string text, TimeZoneInfo zone)
    {
        var m = IsoDuration().Match(text);
        if (!m.Success || text.Equals("P", StringComparison.OrdinalIgnoreCase) || text.EndsWith('T') || text.EndsWith('t'))
            throw new FormatException($"'{text}' is not an ISO 8601 duration.");

        int Int(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = m.Groups["s"].Success
            ? double.Parse(m.Groups["s"].Value.Replace(',', '.'), CultureInfo.InvariantCulture)
            : 0d;
        var elapsed = TimeSpan.FromHours(Int("h")) + TimeSpan.FromMinutes(Int("mi")) + TimeSpan.FromSeconds(seconds);

        var years = Int("y");
        var months = Int("mo");
        var days = Int("w") * 7 + Int("d");
        if (years == 0 && months == 0 && days == 0)
            return from + elapsed;

        // Calendar part on the local wall clock: 31 Jan + P1M = 28/29 Feb; P1D over a DST change keeps the clock time.
        var local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var shifted = local.AddYears(years).AddMonths(months).AddDays(days);
        return ToInstant(shifted, zone) + elapsed;
    }

    /// <summary>Local wall time → instant. A time in a spring-forward gap moves forward by the gap; an ambiguous one takes the earlier instant.</summary>
    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            var after = zone.GetUtcOffset(local.AddHours(3));
            return new DateTimeOffset(local + (after - before), after);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
