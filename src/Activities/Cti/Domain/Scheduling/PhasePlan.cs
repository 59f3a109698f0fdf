namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Planned windows of the three phases. Each boundary is counted from phase 1's start (start + n × length
/// months) rather than chained, so a course starting on the 31st does not drift to the 28th for good
/// after passing February.
/// </summary>
public static class PhasePlan
{
    public static IReadOnlyList<PeriodSchedule> Plan(DateTimeOffset phase1Start, int phaseLengthMonths)
    {
        if (phaseLengthMonths < 1)
        {
            throw new CtiRuleViolation(CtiRules.InvalidSettings, "Phase length must be at least one month.");
        }

        var phases = new List<PeriodSchedule>(3);
        var start = phase1Start;
        foreach (var period in new[] { CoursePeriod.Phase1, CoursePeriod.Phase2, CoursePeriod.Phase3 })
        {
            var end = CopenhagenCalendar.AddMonths(phase1Start, (int)period * phaseLengthMonths);
            phases.Add(new PeriodSchedule(period, start, end));
            start = end;
        }

        return phases;
    }
}
