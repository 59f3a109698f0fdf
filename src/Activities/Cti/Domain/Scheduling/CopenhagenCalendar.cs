namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Date arithmetic in Danish local time. CTI months are calendar months as the citizen and the
/// worker see them ("the 15th, four months later, same hour"), not 30-day blocks and not UTC, so
/// every calculation goes: instant → Copenhagen wall clock → add → back to an instant.
/// </summary>
public static class CopenhagenCalendar
{
    public const string TimeZoneId = "Europe/Copenhagen";

    public static TimeZoneInfo TimeZone { get; } = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The Copenhagen wall-clock time of an instant (offset +01:00 or +02:00).</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>Same wall-clock time and day of month, <paramref name="months"/> calendar months later
    /// (clamped to the month's last day, as 31 January + 1 month = 28/29 February).</summary>
    public static DateTimeOffset AddMonths(DateTimeOffset instant, int months) =>
        FromWallClock(ToLocal(instant).DateTime.AddMonths(months));

    /// <summary>Same wall-clock time, <paramref name="days"/> calendar days later, whatever DST does in between.</summary>
    public static DateTimeOffset AddDays(DateTimeOffset instant, int days) =>
        FromWallClock(ToLocal(instant).DateTime.AddDays(days));

    /// <summary>Moves an instant by a wall-clock duration (as measured by <see cref="WallClockDifference"/>).</summary>
    public static DateTimeOffset Shift(DateTimeOffset instant, TimeSpan wallClockDelta) =>
        wallClockDelta == TimeSpan.Zero ? instant : FromWallClock(ToLocal(instant).DateTime + wallClockDelta);

    /// <summary>
    /// How far apart two instants are on a Copenhagen wall clock. A pause from 20 March to 9 April is
    /// 20 days here even though it spans the switch to summer time (19 days 23 hours of real time);
    /// shifting plans by this keeps meetings at the hour people agreed.
    /// </summary>
    public static TimeSpan WallClockDifference(DateTimeOffset from, DateTimeOffset to) =>
        ToLocal(to).DateTime - ToLocal(from).DateTime;

    /// <summary>
    /// The instant a Copenhagen wall-clock time denotes. A time that does not exist (the hour skipped
    /// in spring) is moved forward past the gap; an ambiguous one (the hour repeated in autumn) takes
    /// the first occurrence, so a due date is never later than people would read it.
    /// </summary>
    public static DateTimeOffset FromWallClock(DateTime wallClock)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            var before = TimeZone.GetUtcOffset(local.AddHours(-3));
            var after = TimeZone.GetUtcOffset(local.AddHours(3));
            local = local + (after - before);
        }

        var offset = TimeZone.IsAmbiguousTime(local)
            ? TimeZone.GetAmbiguousTimeOffsets(local).Max()
            : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
