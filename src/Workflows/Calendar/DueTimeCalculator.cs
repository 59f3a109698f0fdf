namespace Exit.Workflows.Calendar;

/// <summary>Turns "from + duration" into the instant a timer is due.</summary>
public static class DueTimeCalculator
{
    /// <summary>
    /// Adds <paramref name="duration"/> to <paramref name="from"/>. The result is expressed in
    /// <paramref name="zone"/>'s offset at that instant (the instant itself is what matters).
    /// </summary>
    /// <remarks>
    /// <list type="number">
    /// <item><description>
    /// The calendar parts are added to the local date and time in <paramref name="zone"/>: years and months
    /// first, clamped to the end of the month (31 Jan + P1M = 28 or 29 Feb), then days. So P4M from
    /// 15 Jan 10:00 in Copenhagen (UTC+1) is 15 May 10:00 Copenhagen (UTC+2), not 11:00.
    /// </description></item>
    /// <item><description>
    /// That local time is mapped back to an instant. A time in a daylight-saving gap (it does not exist,
    /// e.g. 02:30 on the last Sunday of March in Copenhagen) is shifted forward by the gap's length
    /// (03:30). A time in an overlap (it exists twice, e.g. 02:30 on the last Sunday of October) takes
    /// the earlier instant, the one still on summer time.
    /// </description></item>
    /// <item><description>
    /// Then the exact part is added as elapsed time: PT2H is always 7,200 seconds later, whatever the
    /// wall clock does meanwhile.
    /// </description></item>
    /// </list>
    /// </remarks>
    public static DateTimeOffset Add(DateTimeOffset from, WorkflowDuration duration, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var instant = from;
        if (duration.HasCalendarPart)
        {
            var local = TimeZoneInfo.ConvertTime(from, zone).DateTime; // Kind = Unspecified
            var moved = local
                .AddMonths(checked((duration.Years * 12) + duration.Months))
                .AddDays(duration.Days);
            instant = ToInstant(moved, zone);
        }

        return TimeZoneInfo.ConvertTime(instant + duration.Time, zone);
    }

    /// <summary>
    /// Maps a wall-clock time in <paramref name="zone"/> to an instant: a non-existent time (gap) is
    /// shifted forward by the gap's length, an ambiguous time (overlap) takes the earlier instant.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime localTime, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            // The larger offset is the one in force first (before the clocks go back): the earlier instant.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset);
        }

        if (zone.IsInvalidTime(local))
        {
            // Read the wall time with the offset in force before the gap: that lands after the gap,
            // exactly as far past its end as the time was past its start.
            var before = zone.GetUtcOffset(local.AddDays(-1));
            var utc = DateTime.SpecifyKind(local - before, DateTimeKind.Utc);
            return new DateTimeOffset(utc);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
