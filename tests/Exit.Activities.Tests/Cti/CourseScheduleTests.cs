using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CourseScheduleTests
{
    [Fact]
    public void PhasePlan_FourMonthPhasesFrom15January_LandOnCalendarDatesAtSameLocalHour()
    {
        var phases = PhasePlan.Plan(Dk.Winter(2026, 1, 15), 4);

        Assert.Equal(
            [
                (CoursePeriod.Phase1, Dk.Winter(2026, 1, 15), Dk.Summer(2026, 5, 15)),
                (CoursePeriod.Phase2, Dk.Summer(2026, 5, 15), Dk.Summer(2026, 9, 15)),
                (CoursePeriod.Phase3, Dk.Summer(2026, 9, 15), Dk.Winter(2027, 1, 15)),
            ],
            phases.Select(p => (p.Period, p.PlannedStart, p.PlannedEnd)));
        Assert.All(phases, p => Assert.Equal(10, p.PlannedStart.Hour));
        Assert.Equal(TimeSpan.FromHours(2), phases[1].PlannedStart.Offset);
        Assert.Equal(TimeSpan.FromHours(1), phases[2].PlannedEnd.Offset);
    }

    [Fact]
    public void PhasePlan_ThreeByThreeMonths_GivesNineMonthCourse()
    {
        var phases = PhasePlan.Plan(Dk.Winter(2026, 1, 15), 3);

        Assert.Equal(Dk.Summer(2026, 4, 15), phases[1].PlannedStart);
        Assert.Equal(Dk.Summer(2026, 7, 15), phases[2].PlannedStart);
        Assert.Equal(Dk.Summer(2026, 10, 15), phases[2].PlannedEnd);
    }

    [Fact]
    public void PhasePlan_StartOn31st_DoesNotDriftAfterFebruary()
    {
        var phases = PhasePlan.Plan(Dk.Winter(2025, 10, 31), 4);

        Assert.Equal(Dk.Winter(2026, 2, 28), phases[1].PlannedStart);
        Assert.Equal(Dk.Summer(2026, 6, 30), phases[2].PlannedStart);
        Assert.Equal(Dk.Winter(2026, 10, 31), phases[2].PlannedEnd);
    }

    [Fact]
    public void Plan_DefaultSettings_ContactPeriodOfSixWeeksThenTwelveMonths()
    {
        var schedule = CourseSchedule.Plan(Dk.Winter(2025, 12, 4), CoursePlanSettings.Default);

        Assert.Equal(Dk.Winter(2025, 12, 4), schedule[CoursePeriod.ContactPeriod].PlannedStart);
        Assert.Equal(Dk.Winter(2026, 1, 15), schedule[CoursePeriod.Phase1].PlannedStart);
        Assert.Equal(Dk.Winter(2027, 1, 15), schedule.End);
    }

    [Fact]
    public void Plan_ThreeByThreeSettings_EndsNineMonthsAfterPhase1()
    {
        var schedule = CourseSchedule.Plan(Dk.Winter(2025, 12, 4), CoursePlanSettings.ThreeByThree);

        Assert.Equal(Dk.Winter(2026, 1, 15), schedule[CoursePeriod.Phase1].PlannedStart);
        Assert.Equal(Dk.Summer(2026, 10, 15), schedule.End);
    }

    [Fact]
    public void Plan_ZeroPhaseLength_IsRejected()
    {
        var error = Assert.Throws<CtiRuleViolation>(() => CourseSchedule.Plan(Dk.Winter(2026, 1, 1), CoursePlanSettings.Default with { PhaseLengthMonths = 0 }));

        Assert.Equal(CtiRules.InvalidSettings, error.Rule);
    }
}
