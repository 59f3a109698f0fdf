using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

public class CopenhagenCalendarTests
{
    [Fact]
    public void AddMonths_AcrossSpringDstChange_KeepsLocalHour()
    {
        var result = CopenhagenCalendar.AddMonths(Dk.Winter(2026, 1, 15), 4);

        Assert.Equal(Dk.Summer(2026, 5, 15), result);
        Assert.Equal(TimeSpan.FromHours(2), result.Offset);
    }

    [Fact]
    public void AddMonths_FromUtcInput_ReturnsCopenhagenOffset()
    {
        var result = CopenhagenCalendar.AddMonths(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero), 4);

        Assert.Equal(new DateTimeOffset(2026, 5, 15, 10, 0, 0, TimeSpan.FromHours(2)), result);
        Assert.Equal(10, result.Hour);
    }

    [Fact]
    public void AddMonths_MonthEnd_ClampsToLastDay()
    {
        Assert.Equal(Dk.Winter(2026, 2, 28), CopenhagenCalendar.AddMonths(Dk.Winter(2026, 1, 31), 1));
    }

    [Fact]
    public void AddDays_IntoSkippedSpringHour_MovesPastTheGap()
    {
        // 29 March 2026 02:30 does not exist in Copenhagen: clocks jump from 02:00 to 03:00.
        var result = CopenhagenCalendar.AddDays(new DateTimeOffset(2026, 3, 28, 2, 30, 0, TimeSpan.FromHours(1)), 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(2)), result);
    }

    [Fact]
    public void AddDays_IntoRepeatedAutumnHour_TakesFirstOccurrence()
    {
        // 25 October 2026 02:30 happens twice; the first is still summer time.
        var result = CopenhagenCalendar.AddDays(new DateTimeOffset(2026, 10, 24, 2, 30, 0, TimeSpan.FromHours(2)), 1);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), result);
    }

    [Fact]
    public void WallClockDifference_AcrossDst_CountsCalendarDays()
    {
        var difference = CopenhagenCalendar.WallClockDifference(Dk.Winter(2026, 3, 20), Dk.Summer(2026, 4, 9));

        Assert.Equal(TimeSpan.FromDays(20), difference);
    }
}
