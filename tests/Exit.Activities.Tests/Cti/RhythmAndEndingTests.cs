using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

/// <summary>The contact rhythm's planner, contact validation, rhythm changes and the ending of a course.</summary>
public class RhythmAndEndingTests
{
    private static readonly WorkerId Anna = new("anna");

    private static Course NewCourse() =>
        Course.Start(new CourseId(Guid.Parse("00000000-0000-0000-0000-000000000002")), new CitizenId(Guid.Empty), Anna, CourseGoal.Exit, Dk.Winter(2026, 3, 2, 9));

    [Fact]
    public void NextContact_AcrossTheSwitchToSummerTime_KeepsTheWallClockHour()
    {
        // Friday 27 March 2026 10:00 winter time, weekly: Friday 3 April 10:00 summer time (Good Friday → Tuesday 7 April).
        var due = NextContactPlanner.NextContactDue(Dk.Winter(2026, 3, 27), ContactCadence.Weekly, [], Dk.Winter(2026, 3, 27), DanishWorkingDays.Default);
        Assert.Equal(Dk.Summer(2026, 4, 7), due);
        // Monday 23 March → Monday 30 March, after the switch, same hour.
        Assert.Equal(Dk.Summer(2026, 3, 30), NextContactPlanner.NextContactDue(Dk.Winter(2026, 3, 23), ContactCadence.Weekly, [], Dk.Winter(2026, 3, 23), DanishWorkingDays.Default));
    }

    [Fact]
    public void NextContact_IsPushedOnByAPauseAfterTheLastContact_NotByOneBefore()
    {
        var pause = new CoursePause(PauseReason.Prison, Dk.Winter(2026, 3, 20), Dk.Summer(2026, 4, 9)); // 20 days on the wall clock
        // Contact 19 March, fortnightly → 2 April; the pause began before that: + 20 days = 22 April.
        Assert.Equal(Dk.Summer(2026, 4, 22), NextContactPlanner.NextContactDue(Dk.Winter(2026, 3, 19), ContactCadence.EveryTwoWeeks, [pause], Dk.Summer(2026, 4, 10), DanishWorkingDays.Default));
        // Contact after the pause: the pause does not count.
        Assert.Equal(Dk.Summer(2026, 4, 17), NextContactPlanner.NextContactDue(Dk.Summer(2026, 4, 10), ContactCadence.Weekly, [pause], Dk.Summer(2026, 4, 10), DanishWorkingDays.Default));
        // Monthly from 2 March → 2 April, which falls after the pause began: + 20 days = 22 April.
        Assert.Equal(Dk.Summer(2026, 4, 22), NextContactPlanner.NextContactDue(Dk.Winter(2026, 3, 2), ContactCadence.Monthly, [pause], Dk.Summer(2026, 4, 10), DanishWorkingDays.Default));
    }

    [Fact]
    public void Contact_WithEveryProblem_NamesEachField()
    {
        var course = NewCourse();
        var now = Dk.Winter(2026, 3, 10);
        var problems = ContactValidation.Validate(course,
            new ContactInput("Telepathy", Dk.Winter(2026, 3, 11), 25 * 60, "Moon", null, [Guid.NewGuid()], ["Housing", "Luck"], new string('x', 5000)),
            now, out var draft);
        Assert.Null(draft);
        Assert.Equal(["kind", "place", "startedAt", "durationMinutes", "networkMemberIds", "focusAreas", "note"], problems.Select(p => p.Field));
        Assert.Equal("durationMinutes", Assert.Single(ContactValidation.Validate(course,
            new ContactInput("Phone", now, -5, "Home", null, null, null, null), now, out _)).Field);
    }

    [Fact]
    public void Contact_Valid_BecomesARevisionWithTheWorker()
    {
        var course = NewCourse();
        var member = course.AddNetworkMember(Guid.NewGuid(), NetworkRole.Caseworker, "Sagsbehandler", "Jobcenter", null);
        var now = Dk.Winter(2026, 3, 10);
        Assert.Empty(ContactValidation.Validate(course,
            new ContactInput("accompaniment", now.AddHours(-2), 90, "Other", null, [member.Id], ["Economy"], " Jobcentret "), now, out var draft));
        var contact = draft!.ToRevision(Guid.NewGuid(), 1, course.Id, "anna", now);
        Assert.Equal((ContactKind.Accompaniment, 90, "Jobcentret", true), (contact.Kind, contact.DurationMinutes, contact.Note, contact.IsWithCitizen));
        Assert.Equal(["anna"], contact.Workers);
        Assert.False(Contact.IsCitizenContact(ContactKind.Coordination));
        Assert.False(Contact.IsCitizenContact(ContactKind.Attempted));
    }

    [Fact]
    public void ChangeRhythm_IsRecorded_AndNotForAnEndedPeriod()
    {
        var course = NewCourse();
        course.StartPhase(CoursePeriod.Phase1, Dk.Summer(2026, 4, 13));
        var change = course.ChangeRhythm(CoursePeriod.Phase2, ContactCadence.Weekly, Dk.Summer(2026, 4, 14), "anna");
        Assert.Equal((ContactCadence.EveryTwoWeeks, ContactCadence.Weekly), (change.From, change.To));
        Assert.Equal(ContactCadence.Weekly, course.Settings.Phase2Cadence);
        var e = Assert.Throws<CtiRuleViolation>(() => course.ChangeRhythm(CoursePeriod.ContactPeriod, ContactCadence.Monthly, Dk.Summer(2026, 4, 14), "anna"));
        Assert.Equal(CtiRules.PeriodAlreadyEnded, e.Rule);
        var restored = Course.Restore(course.ToState());
        Assert.Single(restored.RhythmChanges);
        Assert.Equal(ContactCadence.Weekly, restored.Settings.Phase2Cadence);
    }

    [Theory]
    [InlineData(EndingReason.GoalReached, CourseStatus.Completed, CourseOutcome.Completed)]
    [InlineData(EndingReason.LostContact, CourseStatus.Cancelled, CourseOutcome.DroppedOut)]
    [InlineData(EndingReason.Died, CourseStatus.Cancelled, CourseOutcome.DroppedOut)]
    public void End_InPhase2_CountsByReason(EndingReason reason, CourseStatus status, CourseOutcome outcome)
    {
        var course = NewCourse();
        course.StartPhase(CoursePeriod.Phase1, Dk.Summer(2026, 4, 13));
        course.StartPhase(CoursePeriod.Phase2, Dk.Summer(2026, 8, 13));
        var ending = course.End(reason, Dk.Summer(2026, 9, 1), Dk.Summer(2026, 9, 3), "anna");
        Assert.Equal((status, outcome), (course.Status, course.Outcome));
        Assert.Equal(Dk.Summer(2026, 9, 1), course.Schedule.End);
        Assert.Equal(CoursePeriod.Phase2, ending.InPeriod);
        Assert.Equal(ending, Course.Restore(course.ToState()).Ending);
        Assert.Equal(CtiRules.CourseNotActive, Assert.Throws<CtiRuleViolation>(() => course.End(reason, Dk.Summer(2026, 9, 3), Dk.Summer(2026, 9, 3), null)).Rule);
    }

    [Fact]
    public void End_InTheContactPeriod_CountsAsEndedAtTheClarification_AndNeverInTheFuture()
    {
        var course = NewCourse();
        Assert.Equal(CtiRules.EndingInFuture,
            Assert.Throws<CtiRuleViolation>(() => course.End(EndingReason.NotMotivatedNow, Dk.Winter(2026, 3, 11), Dk.Winter(2026, 3, 10), null)).Rule);
        Assert.Equal(CtiRules.TimeGoesForward,
            Assert.Throws<CtiRuleViolation>(() => course.End(EndingReason.NotMotivatedNow, Dk.Winter(2026, 3, 1), Dk.Winter(2026, 3, 10), null)).Rule);
        course.End(EndingReason.NotMotivatedNow, Dk.Winter(2026, 3, 10), Dk.Winter(2026, 3, 10), null);
        Assert.Equal(CourseOutcome.EndedAtClarification, course.Outcome);
    }
}
