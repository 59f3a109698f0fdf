using Exit.Activities.Cti.Domain;

namespace Exit.Activities.SupportPersons.Domain;

/// <summary>
/// The periods a supervision series meets in, on Copenhagen calendar dates: a month (SKP teams), a week or two weeks
/// (Monday-based, counted from a fixed Monday so every host agrees). A period is keyed by its first day; the session is
/// planned for <see cref="PlannedStart"/> inside it, and the psychologist may hold it any day of the period.
/// </summary>
public static class SupervisionCalendar
{
    /// <summary>A fixed Monday: fortnights are counted from it.</summary>
    private static readonly DateOnly Epoch = new(2024, 1, 1);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(CopenhagenCalendar.ToLocal(now).DateTime);

    /// <summary>The first day of the period <paramref name="day"/> falls in.</summary>
    public static DateOnly PeriodStart(SupervisionCadence cadence, DateOnly day) => cadence switch
    {
        SupervisionCadence.Monthly => new DateOnly(day.Year, day.Month, 1),
        SupervisionCadence.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => Epoch.AddDays((day.DayNumber - Epoch.DayNumber) / 14 * 14),
    };

    public static DateOnly NextPeriod(SupervisionCadence cadence, DateOnly periodStart) => cadence switch
    {
        SupervisionCadence.Monthly => periodStart.AddMonths(1),
        SupervisionCadence.Weekly => periodStart.AddDays(7),
        _ => periodStart.AddDays(14),
    };

    /// <summary>
    /// Periods from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>, both included, at most
    /// <paramref name="max"/> (the newest kept): a series that was switched off for years does not plan them all back.
    /// </summary>
    public static IReadOnlyList<DateOnly> Periods(SupervisionCadence cadence, DateOnly from, DateOnly to, int max = 60)
    {
        var result = new List<DateOnly>();
        for (var p = PeriodStart(cadence, from); p <= to; p = NextPeriod(cadence, p)) result.Add(p);
        return result.Count > max ? result[^max..] : result;
    }

    /// <summary>
    /// When a session of a period is planned: monthly on the second Tuesday at 10:00, weekly and fortnightly on the
    /// period's Tuesday at 10:00 (Copenhagen). The psychologist can hold it on another day; the period is what counts.
    /// </summary>
    public static DateTimeOffset PlannedStart(SupervisionCadence cadence, DateOnly periodStart)
    {
        var day = cadence == SupervisionCadence.Monthly ? SecondTuesday(periodStart) : periodStart.AddDays(1);
        return CopenhagenCalendar.FromWallClock(day.ToDateTime(new TimeOnly(10, 0)));
    }

    private static DateOnly SecondTuesday(DateOnly monthStart)
    {
        var first = monthStart.AddDays(((int)DayOfWeek.Tuesday - (int)monthStart.DayOfWeek + 7) % 7);
        return first.AddDays(7);
    }

    public static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Parse(string key) => DateOnly.ParseExact(key, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
