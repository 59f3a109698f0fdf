namespace Exit.Activities.Cti.Domain;

/// <summary>
/// The steps a course is expected to go through, with due dates, derived from its schedule and settings.
/// Pure and deterministic (sorted by due date, then kind), so the workflow's raised tasks can be checked
/// against it step by step.
/// </summary>
public static class CourseTimeline
{
    /// <summary>The timeline of a course as planned from its start.</summary>
    public static IReadOnlyList<TimelineStep> Generate(DateTimeOffset courseStart, CoursePlanSettings settings) =>
        Generate(CourseSchedule.Plan(courseStart, settings), settings);

    /// <summary>
    /// The timeline of a running course: its actual dates where known, its (shifted) plan otherwise.
    /// Citizen meetings that fall inside a pause are left out; nobody is expected to meet then.
    /// </summary>
    public static IReadOnlyList<TimelineStep> For(Course course)
    {
        ArgumentNullException.ThrowIfNull(course);
        return Generate(course.Schedule, course.Settings)
            .Where(s => s.Kind != TimelineStepKind.CitizenMeeting || !course.Pauses.Any(p => s.Due >= p.From && (p.To is null || s.Due < p.To)))
            .ToList();
    }

    public static IReadOnlyList<TimelineStep> Generate(CourseSchedule schedule, CoursePlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();

        var steps = new List<TimelineStep>();
        foreach (var period in schedule.Periods)
        {
            AddPeriod(steps, period, settings);
        }

        var start = schedule.CourseStart;
        var end = schedule.End;
        steps.AddRange(ContactCadenceSchedule.DueDates(start, end, settings.SupervisionCadence)
            .Select(due => new TimelineStep(TimelineStepKind.Supervision, due, PeriodAt(schedule, due))));

        var handoverDue = CopenhagenCalendar.AddMonths(end, -settings.HandoverLeadMonths);
        steps.Add(new TimelineStep(TimelineStepKind.HandoverAgreement, handoverDue, PeriodAt(schedule, handoverDue)));
        steps.Add(new TimelineStep(TimelineStepKind.FinalEvaluation, end, CoursePeriod.Phase3));
        steps.Add(new TimelineStep(TimelineStepKind.ClosingMeeting, end, CoursePeriod.Phase3));

        return steps.OrderBy(s => s.Due).ThenBy(s => s.Kind).ThenBy(s => s.Period).ToList();
    }

    private static void AddPeriod(List<TimelineStep> steps, PeriodSchedule period, CoursePlanSettings settings)
    {
        var start = period.EffectiveStart;
        switch (period.Period)
        {
            case CoursePeriod.Phase1:
                steps.Add(new TimelineStep(TimelineStepKind.PhaseStart, start, period.Period));
                steps.Add(new TimelineStep(TimelineStepKind.BaselineEvaluation, start, period.Period));
                break;
            case CoursePeriod.Phase2:
                steps.Add(new TimelineStep(TimelineStepKind.PhaseStart, start, period.Period));
                steps.Add(new TimelineStep(TimelineStepKind.PhaseChangeEvaluation, start, period.Period));
                steps.Add(new TimelineStep(TimelineStepKind.ActivityPlanReview, start, period.Period));
                break;
            case CoursePeriod.Phase3:
                steps.Add(new TimelineStep(TimelineStepKind.PhaseStart, start, period.Period));
                steps.Add(new TimelineStep(TimelineStepKind.PhaseChangeEvaluation, start, period.Period));
                break;
        }

        steps.AddRange(ContactCadenceSchedule.DueDates(start, period.EffectiveEnd, settings.CadenceFor(period.Period))
            .Select(due => new TimelineStep(TimelineStepKind.CitizenMeeting, due, period.Period)));
    }

    private static CoursePeriod PeriodAt(CourseSchedule schedule, DateTimeOffset instant) =>
        schedule.Periods.LastOrDefault(p => p.EffectiveStart <= instant)?.Period ?? CoursePeriod.ContactPeriod;
}
