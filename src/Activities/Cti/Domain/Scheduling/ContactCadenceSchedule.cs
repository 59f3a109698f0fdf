namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Meeting due dates at a cadence inside a window [start, end), in Copenhagen wall-clock time.
/// The n-th date is counted from the start (start + n weeks, start + n months) so month-end clamping
/// in February does not pull every later meeting to the 28th.
/// </summary>
public static class ContactCadenceSchedule
{
    public static IReadOnlyList<DateTimeOffset> DueDates(DateTimeOffset start, DateTimeOffset end, ContactCadence cadence)
    {
        var dates = new List<DateTimeOffset>();
        for (var n = 0; ; n++)
        {
            var due = At(start, cadence, n);
            if (due >= end)
            {
                return dates;
            }

            dates.Add(due);
        }
    }

    /// <summary>The guide's defaults: weekly while making contact and in phase 1, then every two weeks, then monthly.</summary>
    public static ContactCadence DefaultFor(CoursePeriod period) => CoursePlanSettings.Default.CadenceFor(period);

    private static DateTimeOffset At(DateTimeOffset start, ContactCadence cadence, int n) => cadence switch
    {
        ContactCadence.Weekly => CopenhagenCalendar.AddDays(start, 7 * n),
        ContactCadence.EveryTwoWeeks => CopenhagenCalendar.AddDays(start, 14 * n),
        ContactCadence.Monthly => CopenhagenCalendar.AddMonths(start, n),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };
}

/// <summary>
/// The rhythm's next contact: "next contact no later than …". Counted from the anchor (the last contact with the
/// citizen, or the period's start when there has been none) by one rhythm interval on the Copenhagen wall clock,
/// pushed on by the wall-clock length of every pause that began after the anchor (a pause stops the rhythm), and
/// moved forward to the next Danish working day, same time of day.
/// </summary>
public static class NextContactPlanner
{
    public static DateTimeOffset NextContactDue(
        DateTimeOffset anchor, ContactCadence cadence, IEnumerable<CoursePause> pauses, DateTimeOffset now, DanishWorkingDays workingDays)
    {
        var due = Step(anchor, cadence);
        foreach (var pause in pauses.Where(p => p.From >= anchor).OrderBy(p => p.From))
        {
            if (pause.From > due) break; // the rhythm was already due before this pause
            due = CopenhagenCalendar.Shift(due, CopenhagenCalendar.WallClockDifference(pause.From, pause.To ?? now));
        }

        return workingDays.OnOrAfter(due);
    }

    public static DateTimeOffset Step(DateTimeOffset anchor, ContactCadence cadence) => cadence switch
    {
        ContactCadence.Weekly => CopenhagenCalendar.AddDays(anchor, 7),
        ContactCadence.EveryTwoWeeks => CopenhagenCalendar.AddDays(anchor, 14),
        ContactCadence.Monthly => CopenhagenCalendar.AddMonths(anchor, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };
}
