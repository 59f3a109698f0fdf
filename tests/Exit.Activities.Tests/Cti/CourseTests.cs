using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CourseTests
{
    private static readonly WorkerId Anna = new("anna");
    private static readonly WorkerId Bo = new("bo");

    /// <summary>Contact period from 4 December 2025, so phase 1 is planned for 15 January 2026 10:00.</summary>
    private static Course NewCourse(CoursePlanSettings? settings = null) =>
        Course.Start(new CourseId(Guid.Parse("00000000-0000-0000-0000-000000000001")), new CitizenId(Guid.Empty), Anna, CourseGoal.Exit, Dk.Winter(2025, 12, 4), settings);

    private static Course CourseInPhase1()
    {
        var course = NewCourse();
        course.StartPhase(CoursePeriod.Phase1, Dk.Winter(2026, 1, 15));
        return course;
    }

    [Fact]
    public void Start_NewCourse_IsInContactPeriodWithWorker()
    {
        var course = NewCourse();

        Assert.Equal(CourseStatus.ContactPeriod, course.Status);
        Assert.Equal(Anna, course.ResponsibleWorkerId);
        Assert.Equal(Dk.Winter(2025, 12, 4), course.StartDate);
    }

    [Fact]
    public void StartPhase_AllPhasesInOrder_ReachesCompleted()
    {
        var course = CourseInPhase1();
        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 15));
        course.StartPhase(CoursePeriod.Phase3, Dk.Summer(2026, 9, 15));
        course.Complete(Dk.Winter(2027, 1, 15));

        Assert.Equal(CourseStatus.Completed, course.Status);
        Assert.Equal(Dk.Winter(2027, 1, 15), course.Schedule[CoursePeriod.Phase3].ActualEnd);
    }

    [Fact]
    public void StartPhase_Phase3FromPhase1_IsRejectedNamingTheRule()
    {
        var course = CourseInPhase1();

        var error = Assert.Throws<CtiRuleViolation>(() => course.StartPhase(CoursePeriod.Phase3, Dk.Summer(2026, 5, 15)));

        Assert.Equal(CtiRules.PhasesInOrder, error.Rule);
        Assert.Contains("skipped", error.Message);
        Assert.Contains("Phase2", error.Message);
        Assert.Equal(CourseStatus.Phase1, course.Status);
    }

    [Fact]
    public void StartPhase_Phase2FromContactPeriod_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => NewCourse().StartPhase(CoursePeriod.Phase2, Dk.Winter(2026, 1, 15)));

        Assert.Equal(CtiRules.PhasesInOrder, error.Rule);
    }

    [Fact]
    public void StartPhase_SamePhaseAgain_IsRejected()
    {
        var course = CourseInPhase1();

        Assert.Throws<CtiRuleViolation>(() => course.StartPhase(CoursePeriod.Phase1, Dk.Winter(2026, 2, 1)));
    }

    [Fact]
    public void StartPhase_Phase1EndsTenDaysEarly_MovesAllLaterDatesTenDaysEarlier()
    {
        var course = CourseInPhase1();

        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 5));

        Assert.Equal(Dk.Summer(2026, 5, 5), course.Schedule[CoursePeriod.Phase1].ActualEnd);
        Assert.Equal(Dk.Summer(2026, 5, 5), course.Schedule[CoursePeriod.Phase2].ActualStart);
        Assert.Equal(Dk.Summer(2026, 9, 5), course.Schedule[CoursePeriod.Phase2].PlannedEnd);
        Assert.Equal(Dk.Summer(2026, 9, 5), course.Schedule[CoursePeriod.Phase3].PlannedStart);
        Assert.Equal(Dk.Winter(2027, 1, 5), course.Schedule.End);
    }

    [Fact]
    public void StartPhase_ContactPeriodEndsEarly_PullsWholeCourseForward()
    {
        var course = NewCourse();

        course.StartPhase(CoursePeriod.Phase1, Dk.Winter(2026, 1, 1));

        Assert.Equal(Dk.Summer(2026, 5, 1), course.Schedule[CoursePeriod.Phase2].PlannedStart);
        Assert.Equal(Dk.Winter(2027, 1, 1), course.Schedule.End);
    }

    [Fact]
    public void StartPhase_BeyondPhase3_IsRejectedAsDomainError()
    {
        var course = CourseInPhase1();
        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 15));
        course.StartPhase(CoursePeriod.Phase3, Dk.Summer(2026, 9, 15));

        var error = Assert.Throws<CtiRuleViolation>(() => course.StartPhase((CoursePeriod)4, Dk.Winter(2027, 1, 15)));

        Assert.Equal(CtiRules.PhasesInOrder, error.Rule);
        Assert.Contains("completion", error.Message);
    }

    [Fact]
    public void Complete_FromPhase2_IsRejected()
    {
        var course = CourseInPhase1();
        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 15));

        var error = Assert.Throws<CtiRuleViolation>(() => course.Complete(Dk.Summer(2026, 6, 1)));

        Assert.Equal(CtiRules.CompleteFromPhase3, error.Rule);
    }

    [Fact]
    public void Resume_AfterTwentyDayPause_ShiftsRemainingDatesByTwentyDays()
    {
        var course = CourseInPhase1();

        course.Pause(PauseReason.Hospitalisation, Dk.Winter(2026, 3, 20));
        course.Resume(Dk.Summer(2026, 4, 9));

        Assert.Equal(CourseStatus.Phase1, course.Status);
        Assert.Equal(Dk.Winter(2026, 1, 15), course.Schedule[CoursePeriod.Phase1].ActualStart);
        Assert.Equal(Dk.Summer(2026, 6, 4), course.Schedule[CoursePeriod.Phase1].PlannedEnd);
        Assert.Equal(Dk.Summer(2026, 6, 4), course.Schedule[CoursePeriod.Phase2].PlannedStart);
        Assert.Equal(Dk.Summer(2026, 10, 5), course.Schedule[CoursePeriod.Phase2].PlannedEnd);
        Assert.Equal(Dk.Winter(2027, 2, 4), course.Schedule.End);
        Assert.Equal(new CoursePause(PauseReason.Hospitalisation, Dk.Winter(2026, 3, 20), Dk.Summer(2026, 4, 9)), Assert.Single(course.Pauses));
    }

    [Fact]
    public void StartPhase_WhilePaused_IsRejected()
    {
        var course = CourseInPhase1();
        course.Pause(PauseReason.Prison, Dk.Winter(2026, 3, 1));

        var error = Assert.Throws<CtiRuleViolation>(() => course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 15)));

        Assert.Equal(CtiRules.CoursePaused, error.Rule);
        Assert.Equal(CourseStatus.Paused, course.Status);
    }

    [Fact]
    public void Resume_NotPaused_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseInPhase1().Resume(Dk.Winter(2026, 2, 1)));

        Assert.Equal(CtiRules.CourseNotPaused, error.Rule);
    }

    [Fact]
    public void ReassignWorker_TwoChanges_KeepsHistory()
    {
        var course = CourseInPhase1();

        course.ReassignWorker(Bo, Dk.Winter(2026, 2, 1), "parental leave");
        course.ReassignWorker(Anna, Dk.Summer(2026, 6, 1));

        Assert.Equal(Anna, course.ResponsibleWorkerId);
        Assert.Equal(
            [
                new WorkerAssignment(Anna, Dk.Winter(2025, 12, 4), Dk.Winter(2026, 2, 1), null),
                new WorkerAssignment(Bo, Dk.Winter(2026, 2, 1), Dk.Summer(2026, 6, 1), "parental leave"),
                new WorkerAssignment(Anna, Dk.Summer(2026, 6, 1), null, null),
            ],
            course.Assignments);
    }

    [Fact]
    public void ReassignWorker_SameWorker_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseInPhase1().ReassignWorker(Anna, Dk.Winter(2026, 2, 1)));

        Assert.Equal(CtiRules.SameWorker, error.Rule);
    }

    [Fact]
    public void RecordMissedMeeting_InPhase1_ReturnsFollowUpAndCourseStaysActive()
    {
        var course = CourseInPhase1();

        var followUp = course.RecordMissedMeeting(Dk.Winter(2026, 2, 5), Dk.Winter(2026, 2, 5, 12));

        Assert.Equal(CourseStatus.Phase1, course.Status);
        Assert.False(course.IsEnded);
        Assert.Equal(FollowUpReason.MissedMeeting, followUp.Reason);
        Assert.Equal(Anna, followUp.WorkerId);
        Assert.Equal(course.Id, followUp.CourseId);
        Assert.Equal(Dk.Winter(2026, 2, 7, 12), followUp.DueBy);
    }

    [Fact]
    public void RecordMissedMeeting_ManyTimes_NeverEndsTheCourse()
    {
        var course = CourseInPhase1();

        for (var week = 0; week < 10; week++)
        {
            var meeting = Dk.Winter(2026, 1, 15).AddDays(7 * week);
            course.RecordMissedMeeting(meeting, meeting.AddHours(2));
        }

        Assert.Equal(CourseStatus.Phase1, course.Status);
    }

    [Fact]
    public void SetFocusAreas_None_IsRejected()
    {
        var course = CourseInPhase1();

        var error = Assert.Throws<CtiRuleViolation>(() => course.SetFocusAreas(CoursePeriod.Phase1, []));

        Assert.Equal(CtiRules.FocusAreaCount, error.Rule);
        Assert.Empty(course.FocusAreas);
    }

    // 3–5 is the guide's guidance, not a rule (issue 8): outside it the choice is kept and flagged, not refused.
    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void SetFocusAreas_OutsideGuidance_IsKeptAndFlagged(int count)
    {
        var course = CourseInPhase1();

        course.SetFocusAreas(CoursePeriod.Phase1, Enum.GetValues<FocusArea>().Take(count));

        Assert.Equal(count, course.FocusAreas[CoursePeriod.Phase1].Areas.Count);
        Assert.False(course.FocusAreas[CoursePeriod.Phase1].IsWithinGuidance);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void SetFocusAreas_ThreeToFive_IsAccepted(int count)
    {
        var course = CourseInPhase1();

        course.SetFocusAreas(CoursePeriod.Phase1, Enum.GetValues<FocusArea>().Take(count));

        Assert.Equal(count, course.FocusAreas[CoursePeriod.Phase1].Areas.Count);
    }

    [Fact]
    public void SetFocusAreas_Duplicate_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() =>
            CourseInPhase1().SetFocusAreas(CoursePeriod.Phase1, [FocusArea.Housing, FocusArea.Economy, FocusArea.Housing]));

        Assert.Equal(CtiRules.FocusAreaDuplicate, error.Rule);
    }

    [Fact]
    public void SetFocusAreas_DifferentPerPhase_KeepsEach()
    {
        var course = CourseInPhase1();

        course.SetFocusAreas(CoursePeriod.Phase1, [FocusArea.Housing, FocusArea.Economy, FocusArea.MentalHealth]);
        course.SetFocusAreas(CoursePeriod.Phase2, [FocusArea.Network, FocusArea.DailyActivities, FocusArea.EducationAndEmployment, FocusArea.Economy]);

        Assert.Equal([FocusArea.Housing, FocusArea.Economy, FocusArea.MentalHealth], course.FocusAreas[CoursePeriod.Phase1].Areas);
        Assert.Equal(4, course.FocusAreas[CoursePeriod.Phase2].Areas.Count);
    }

    [Fact]
    public void SetFocusAreas_EndedPhase_IsRejected()
    {
        var course = CourseInPhase1();
        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 15));

        var error = Assert.Throws<CtiRuleViolation>(() => course.SetFocusAreas(CoursePeriod.Phase1, [FocusArea.Housing, FocusArea.Economy, FocusArea.MentalHealth]));

        Assert.Equal(CtiRules.PeriodAlreadyEnded, error.Rule);
    }

    [Fact]
    public void AddActivity_ThenMarkDone_UpdatesPlan()
    {
        var course = CourseInPhase1();
        var id = Guid.Parse("00000000-0000-0000-0000-0000000000aa");

        course.AddActivity(id, "  Apply for housing support ", FocusArea.Housing, CoursePeriod.Phase1);
        course.SetActivityStatus(id, ActivityStatus.Done);

        Assert.Equal(new ActivityPlanItem(id, "Apply for housing support", FocusArea.Housing, CoursePeriod.Phase1, ActivityStatus.Done), Assert.Single(course.Activities));
    }

    [Fact]
    public void SetActivityStatus_UnknownId_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseInPhase1().SetActivityStatus(Guid.Empty, ActivityStatus.Done));

        Assert.Equal(CtiRules.UnknownActivity, error.Rule);
    }

    [Fact]
    public void DesignateHandoverRecipient_NetworkMember_IsRecorded()
    {
        var course = CourseInPhase1();
        var id = Guid.Parse("00000000-0000-0000-0000-0000000000bb");
        course.AddNetworkMember(id, NetworkRole.HousingSupport, "Kim", "Bostøtten", "+45 12 34 56 78");

        course.DesignateHandoverRecipient(id);

        Assert.Equal(id, course.HandoverRecipientId);
        Assert.DoesNotContain("12 34", course.Network[0].ToString());
    }

    [Fact]
    public void DesignateHandoverRecipient_NotInNetwork_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseInPhase1().DesignateHandoverRecipient(Guid.Empty));

        Assert.Equal(CtiRules.UnknownNetworkMember, error.Rule);
    }

    [Fact]
    public void Cancel_WhilePaused_EndsCourseAndClosesPause()
    {
        var course = CourseInPhase1();
        course.Pause(PauseReason.Prison, Dk.Winter(2026, 3, 1));

        course.Cancel(CancellationReason.ContactLost, Dk.Summer(2026, 6, 1));

        Assert.Equal(CourseStatus.Cancelled, course.Status);
        Assert.False(course.Pauses[0].IsOpen);
        Assert.Throws<CtiRuleViolation>(() => course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 6, 2)));
    }

    [Fact]
    public void StartPhase_DatedBeforeCurrentPhaseStarted_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseInPhase1().StartPhase(CoursePeriod.Phase2, Dk.Winter(2026, 1, 1)));

        Assert.Equal(CtiRules.TimeGoesForward, error.Rule);
    }

    [Fact]
    public void StartPhase_Phase2StartsFiveDaysLate_Phase2KeepsFullLength()
    {
        var course = CourseInPhase1();

        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 5, 20));

        Assert.Equal(Dk.Summer(2026, 9, 20), course.Schedule[CoursePeriod.Phase2].PlannedEnd);
        Assert.Equal(Dk.Winter(2027, 1, 20), course.Schedule.End);
    }

    [Fact]
    public void Restore_FromToState_GivesEquivalentCourseThatKeepsRunning()
    {
        var course = CourseInPhase1();
        course.SetFocusAreas(CoursePeriod.Phase1, [FocusArea.Housing, FocusArea.Economy, FocusArea.MentalHealth]);
        course.AddActivity(Guid.Parse("00000000-0000-0000-0000-0000000000aa"), "Budget", FocusArea.Economy, CoursePeriod.Phase1);
        course.ReassignWorker(Bo, Dk.Winter(2026, 2, 1));
        course.Pause(PauseReason.Other, Dk.Winter(2026, 3, 1));

        var restored = Course.Restore(course.ToState());
        restored.Resume(Dk.Winter(2026, 3, 11));

        Assert.Equal(CourseStatus.Phase1, restored.Status);
        Assert.Equal(Bo, restored.ResponsibleWorkerId);
        Assert.Equal(course.Activities, restored.Activities);
        Assert.Equal(course.FocusAreas[CoursePeriod.Phase1].Areas, restored.FocusAreas[CoursePeriod.Phase1].Areas);
        Assert.Equal(Dk.Summer(2026, 5, 25), restored.Schedule[CoursePeriod.Phase1].PlannedEnd);
    }
}
