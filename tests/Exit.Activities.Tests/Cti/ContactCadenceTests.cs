using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class ContactCadenceTests
{
    [Fact]
    public void DueDates_WeeklyAcrossDst_StaysAtLocalHour()
    {
        var dates = ContactCadenceSchedule.DueDates(Dk.Winter(2026, 3, 19), Dk.Summer(2026, 4, 9), ContactCadence.Weekly);

        Assert.Equal([Dk.Winter(2026, 3, 19), Dk.Winter(2026, 3, 26), Dk.Summer(2026, 4, 2)], dates);
    }

    [Fact]
    public void DueDates_EndIsExclusive()
    {
        var dates = ContactCadenceSchedule.DueDates(Dk.Winter(2026, 1, 1), Dk.Winter(2026, 1, 29), ContactCadence.EveryTwoWeeks);

        Assert.Equal([Dk.Winter(2026, 1, 1), Dk.Winter(2026, 1, 15)], dates);
    }

    [Fact]
    public void DueDates_MonthlyFrom31st_UsesCalendarMonthsWithoutDrift()
    {
        var dates = ContactCadenceSchedule.DueDates(Dk.Winter(2026, 1, 31), Dk.Summer(2026, 6, 1), ContactCadence.Monthly);

        Assert.Equal([Dk.Winter(2026, 1, 31), Dk.Winter(2026, 2, 28), Dk.Summer(2026, 3, 31), Dk.Summer(2026, 4, 30), Dk.Summer(2026, 5, 31)], dates);
    }

    [Fact]
    public void DueDates_EmptyWindow_IsEmpty()
    {
        Assert.Empty(ContactCadenceSchedule.DueDates(Dk.Winter(2026, 1, 1), Dk.Winter(2026, 1, 1), ContactCadence.Weekly));
    }

    [Theory]
    [InlineData(CoursePeriod.ContactPeriod, ContactCadence.Weekly)]
    [InlineData(CoursePeriod.Phase1, ContactCadence.Weekly)]
    [InlineData(CoursePeriod.Phase2, ContactCadence.EveryTwoWeeks)]
    [InlineData(CoursePeriod.Phase3, ContactCadence.Monthly)]
    public void DefaultFor_EachPeriod_TapersAsTheGuideSays(CoursePeriod period, ContactCadence expected)
    {
        Assert.Equal(expected, ContactCadenceSchedule.DefaultFor(period));
    }
}
