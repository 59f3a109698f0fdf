namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The dates of a course's four periods, planned and actual. Immutable: every change returns a new
/// schedule, so a course can be re-planned and compared with its earlier plan.
/// </summary>
public sealed class CourseSchedule
{
    private readonly PeriodSchedule[] _periods;

    private CourseSchedule(PeriodSchedule[] periods) => _periods = periods;

    /// <summary>Contact period, phase 1, phase 2, phase 3, in order.</summary>
    public IReadOnlyList<PeriodSchedule> Periods => _periods;

    public PeriodSchedule this[CoursePeriod period] => _periods[(int)period];

    public DateTimeOffset CourseStart => _periods[0].EffectiveStart;

    /// <summary>The end the course is currently heading for (actual end once completed).</summary>
    public DateTimeOffset End
    {
        get
        {
            // A course that ended before phase 3 ended in the last period it entered.
            for (var i = 0; i < _periods.Length - 1; i++)
            {
                if (_periods[i].ActualEnd is { } end && _periods[i + 1].ActualStart is null) return end;
            }

            return _periods[^1].EffectiveEnd;
        }
    }

    /// <summary>
    /// Plans a course that starts its contact period at <paramref name="courseStart"/>. Phase 1 is planned
    /// for when the contact period's bound runs out; starting it sooner moves everything earlier.
    /// </summary>
    public static CourseSchedule Plan(DateTimeOffset courseStart, CoursePlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var phase1Start = CopenhagenCalendar.AddDays(courseStart, settings.ContactPeriodDays);
        var contact = new PeriodSchedule(CoursePeriod.ContactPeriod, courseStart, phase1Start, ActualStart: courseStart);
        return new CourseSchedule([contact, .. PhasePlan.Plan(phase1Start, settings.PhaseLengthMonths)]);
    }

    /// <summary>Rebuilds a schedule from storage.</summary>
    public static CourseSchedule Restore(IEnumerable<PeriodSchedule> periods)
    {
        var array = periods.OrderBy(p => p.Period).ToArray();
        if (array.Length != 4 || array.Select((p, i) => (int)p.Period == i).Any(ok => !ok))
        {
            throw new ArgumentException("A schedule has exactly the four periods.", nameof(periods));
        }

        return new CourseSchedule(array);
    }

    /// <summary>
    /// Ends <paramref name="current"/> and starts the next period at <paramref name="at"/>. The next period
    /// keeps its full planned length, so it and every later planned date move by the same wall-clock shift
    /// (earlier if the period ended early, later if the transition came late).
    /// </summary>
    public CourseSchedule Advance(CoursePeriod current, DateTimeOffset at)
    {
        if (current == CoursePeriod.Phase3)
        {
            throw new ArgumentOutOfRangeException(nameof(current), "Phase 3 is the last period; use Finish.");
        }

        var next = current + 1;
        var shift = CopenhagenCalendar.WallClockDifference(this[next].PlannedStart, at);
        var periods = (PeriodSchedule[])_periods.Clone();
        periods[(int)current] = periods[(int)current] with { ActualEnd = at };
        for (var i = (int)next; i < periods.Length; i++)
        {
            periods[i] = periods[i] with
            {
                PlannedStart = CopenhagenCalendar.Shift(periods[i].PlannedStart, shift),
                PlannedEnd = CopenhagenCalendar.Shift(periods[i].PlannedEnd, shift),
            };
        }

        periods[(int)next] = periods[(int)next] with { PlannedStart = at, ActualStart = at };
        return new CourseSchedule(periods);
    }

    /// <summary>Records the actual end of the course (completed or cancelled) in the running period.</summary>
    public CourseSchedule Finish(CoursePeriod current, DateTimeOffset at)
    {
        var periods = (PeriodSchedule[])_periods.Clone();
        periods[(int)current] = periods[(int)current] with { ActualEnd = at };
        return new CourseSchedule(periods);
    }

    /// <summary>
    /// Moves every planned date not yet reached at <paramref name="from"/> by a wall-clock duration; used
    /// after a pause, so the citizen gets the whole course they were promised. Recorded actual dates stay.
    /// </summary>
    public CourseSchedule ShiftRemaining(DateTimeOffset from, TimeSpan wallClockDelta)
    {
        var periods = _periods
            .Select(p => p with
            {
                PlannedStart = p.ActualStart is null && p.PlannedStart >= from ? CopenhagenCalendar.Shift(p.PlannedStart, wallClockDelta) : p.PlannedStart,
                PlannedEnd = p.ActualEnd is null && p.PlannedEnd >= from ? CopenhagenCalendar.Shift(p.PlannedEnd, wallClockDelta) : p.PlannedEnd,
            })
            .ToArray();
        return new CourseSchedule(periods);
    }
}
