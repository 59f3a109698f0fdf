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
