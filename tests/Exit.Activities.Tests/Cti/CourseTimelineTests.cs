using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CourseTimelineTests
{
    private static readonly DateTimeOffset CourseStart = Dk.Winter(2025, 12, 4);

    private static IReadOnlyList<TimelineStep> DefaultTimeline() => CourseTimeline.Generate(CourseStart, CoursePlanSettings.Default);

    [Fact]
    public void Generate_DefaultPlan_MeetingCountsTaperPerPeriod()
    {
        var meetings = DefaultTimeline().Where(s => s.Kind == TimelineStepKind.CitizenMeeting).ToList();

        // Contact: 6 weeks weekly. Phase 1: 120 days weekly. Phase 2: 123 days fortnightly. Phase 3: 4 months monthly.
        Assert.Equal(6, meetings.Count(m => m.Period == CoursePeriod.ContactPeriod));
        Assert.Equal(18, meetings.Count(m => m.Period == CoursePeriod.Phase1));
        Assert.Equal(9, meetings.Count(m => m.Period == CoursePeriod.Phase2));
        Assert.Equal(4, meetings.Count(m => m.Period == CoursePeriod.Phase3));
    }

    [Fact]
    public void Generate_DefaultPlan_EvaluationsAtStartPhaseChangesAndEnd()
    {
        var evaluations = DefaultTimeline()
            .Where(s => s.Kind is TimelineStepKind.BaselineEvaluation or TimelineStepKind.PhaseChangeEvaluation or TimelineStepKind.FinalEvaluation)
            .Select(s => (s.Kind, s.Due))
            .ToList();

        Assert.Equal(
            [
                (TimelineStepKind.BaselineEvaluation, Dk.Winter(2026, 1, 15)),
                (TimelineStepKind.PhaseChangeEvaluation, Dk.Summer(2026, 5, 15)),
                (TimelineStepKind.PhaseChangeEvaluation, Dk.Summer(2026, 9, 15)),
                (TimelineStepKind.FinalEvaluation, Dk.Winter(2027, 1, 15)),
            ],
            evaluations);
    }

    [Fact]
    public void Generate_DefaultPlan_HandoverOneMonthBeforeEndThenClosingMeetingLast()
    {
        var timeline = DefaultTimeline();

        Assert.Equal(Dk.Winter(2026, 12, 15), timeline.Single(s => s.Kind == TimelineStepKind.HandoverAgreement).Due);
        Assert.Equal(CoursePeriod.Phase3, timeline.Single(s => s.Kind == TimelineStepKind.HandoverAgreement).Period);
        Assert.Equal(new TimelineStep(TimelineStepKind.ClosingMeeting, Dk.Winter(2027, 1, 15), CoursePeriod.Phase3), timeline[^1]);
    }

    [Fact]
    public void Generate_DefaultPlan_MonthlySupervisionThroughoutCourse()
    {
        var supervision = DefaultTimeline().Where(s => s.Kind == TimelineStepKind.Supervision).Select(s => s.Due).ToList();

        // 4 December 2025 … 4 January 2027: 14 monthly sessions before the end on 15 January 2027.
        Assert.Equal(14, supervision.Count);
        Assert.Equal(Dk.Winter(2025, 12, 4), supervision[0]);
        Assert.Equal(Dk.Summer(2026, 6, 4), supervision[6]);
        Assert.Equal(Dk.Winter(2027, 1, 4), supervision[^1]);
    }

    [Fact]
    public void Generate_CalledTwice_IsIdenticalAndSorted()
    {
        var first = DefaultTimeline();
        var second = DefaultTimeline();

        Assert.Equal(first, second);
        Assert.Equal(first.OrderBy(s => s.Due).ThenBy(s => s.Kind), first);
        Assert.Equal(TimelineStepKind.CitizenMeeting, first[0].Kind);
        Assert.Equal(CourseStart, first[0].Due);
    }

    [Fact]
    public void Generate_ThreeByThree_EndsAfterNineMonthsOfPhases()
    {
        var timeline = CourseTimeline.Generate(CourseStart, CoursePlanSettings.ThreeByThree);

        Assert.Equal(Dk.Summer(2026, 10, 15), timeline.Single(s => s.Kind == TimelineStepKind.ClosingMeeting).Due);
        Assert.Equal(Dk.Summer(2026, 9, 15), timeline.Single(s => s.Kind == TimelineStepKind.HandoverAgreement).Due);
    }

    [Fact]
    public void For_CourseWithEarlyPhaseChangeAndPause_FollowsActualDatesAndSkipsPausedMeetings()
    {
        var course = Course.Start(new CourseId(Guid.Empty), new CitizenId(Guid.Empty), new WorkerId("anna"), CourseGoal.ImproveLifeSituation, CourseStart);
        course.StartPhase(CoursePeriod.Phase1, Dk.Winter(2026, 1, 8));
        course.Pause(PauseReason.Hospitalisation, Dk.Winter(2026, 2, 1));
        course.Resume(Dk.Winter(2026, 2, 21));

        var timeline = CourseTimeline.For(course);

        Assert.Equal(5, timeline.Count(s => s.Kind == TimelineStepKind.CitizenMeeting && s.Period == CoursePeriod.ContactPeriod));
        Assert.Equal(Dk.Winter(2026, 1, 8), timeline.Single(s => s.Kind == TimelineStepKind.BaselineEvaluation).Due);
        Assert.DoesNotContain(timeline, s => s.Kind == TimelineStepKind.CitizenMeeting && s.Due > Dk.Winter(2026, 2, 1) && s.Due < Dk.Winter(2026, 2, 21));
        // Planned end: 8 January + 12 months, then + 20 days of pause.
        Assert.Equal(Dk.Winter(2027, 1, 28), timeline.Single(s => s.Kind == TimelineStepKind.ClosingMeeting).Due);
    }
}
