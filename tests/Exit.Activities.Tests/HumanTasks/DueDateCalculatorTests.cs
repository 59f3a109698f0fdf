using Exit.Activities.HumanTasks;

namespace Exit.Activities.Tests.HumanTasks;

public class DueDateCalculatorTests
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
    private readonly DueDateCalculator _calculator = new();

    [Fact]
    public void Add_OneMonthFromJanuary31_LandsOnLastDayOfFebruary()
    {
        var from = new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 9, 0, 0, TimeSpan.FromHours(1)), _calculator.Add(from, "P1M", Copenhagen));
    }

    [Fact]
    public void Add_OneDayOverSpringForward_KeepsWallClockTime()
    {
        var from = new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.FromHours(1));
        var due = _calculator.Add(from, "P1D", Copenhagen);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.FromHours(2)), due);
        Assert.Equal(TimeSpan.FromHours(23), due - from);
    }

    [Theory]
    [InlineData("PT2H", 2 * 60)]
    [InlineData("2.00:00:00", 2 * 24 * 60)]
    [InlineData("00:30:00", 30)]
    [InlineData("P2W", 14 * 24 * 60)]
    [InlineData("P1DT1H30M", 24 * 60 + 90)]
    public void Add_ElapsedAndCalendarParts(string duration, int minutes)
    {
        var from = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(from.AddMinutes(minutes), _calculator.Add(from, duration, Copenhagen));
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("soon")]
    [InlineData("P1X")]
    [InlineData("-1.00:00:00")]
    public void Add_NotADuration_Throws(string duration) =>
        Assert.Throws<FormatException>(() => _calculator.Add(DateTimeOffset.UnixEpoch, duration, Copenhagen));
}
