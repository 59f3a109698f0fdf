using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Calendar;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    [Fact]
    public void EveryHour_FixtureExpression_NextOccurrenceIsTopOfNextHour()
    {
        var cron = CronSchedule.Parse("0 0 * * * *");
        var from = new DateTimeOffset(2026, 1, 15, 10, 20, 0, TimeSpan.FromHours(1));

        var next = cron.GetNextOccurrence(from, Copenhagen);

        Assert.Equal(new DateTimeOffset(2026, 1, 15, 11, 0, 0, TimeSpan.FromHours(1)), next);
    }

    [Fact]
    public void DailyAtEight_IsEightLocalInSummerAndWinter()
    {
        var cron = CronSchedule.Parse("0 0 8 * * MON-FRI");

        var winter = cron.GetNextOccurrence(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), Copenhagen);
        var summer = cron.GetNextOccurrence(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero), Copenhagen);

        Assert.Equal(new DateTimeOffset(2026, 1, 16, 8, 0, 0, TimeSpan.FromHours(1)), winter);
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.FromHours(2)), summer);
    }

    [Fact]
    public void BadCronExpression_FixtureValue_SaysFieldCount()
    {
        Assert.False(CronSchedule.TryParse("BadCronExpression", out _, out var error));

        Assert.Equal(
            "Cron expression 'BadCronExpression' has 1 field. Expected 6 fields: seconds minutes hours " +
            "day-of-month month day-of-week (e.g. '0 0 * * * *' = every hour).",
            error);
    }

    [Theory]
    [InlineData("60 * * * * *", "Seconds: value 60 is out of range 0–59")]
    [InlineData("0 61 * * * *", "Minutes: value 61 is out of range 0–59")]
    [InlineData("0 0 24 * * *", "Hours: value 24 is out of range 0–23")]
    [InlineData("0 0 0 0 * *", "Day of month: value 0 is out of range 1–31")]
    [InlineData("0 0 0 1 13 *", "Month: value 13 is out of range 1–12 or JAN–DEC")]
    [InlineData("0 0 0 * * 8", "Day of week: value 8 is out of range 0–7 or SUN–SAT")]
    [InlineData("0 0 0 * FOO *", "Month: 'FOO' is not a valid name")]
    [InlineData("0 */0 * * * *", "Minutes: step 0 in '*/0' is out of range 1–59")]
    [InlineData("0 5-70 * * * *", "Minutes: value 70 is out of range 0–59")]
    [InlineData("x * * * * *", "Seconds")]
    public void InvalidField_IsNamed(string expression, string expected)
    {
        Assert.False(CronSchedule.TryParse(expression, out _, out var error));

        Assert.Contains(expected, error);
    }

    [Fact]
    public void FiveFields_AreRejectedWithHint()
    {
        Assert.False(CronSchedule.TryParse("0 * * * *", out _, out var error));

        Assert.Contains("has 5 fields", error);
        Assert.Contains("Did you mean '0 0 * * * *'?", error);
    }

    [Fact]
    public void NeverOccurring_IsRejected()
    {
        Assert.False(CronSchedule.TryParse("0 0 0 30 2 *", out _, out var error));

        Assert.Contains("never occurs", error);
    }

    [Theory]
    [InlineData("*/15 * * * * *")]
    [InlineData("0 30 9 ? * MON,WED,FRI")]
    [InlineData("0 0 12 L * *")]
    [InlineData("0 0 12 15W * *")]
    [InlineData("0 0 12 ? * 5#3")]
    [InlineData("0 0 0 1 JAN-MAR *")]
    public void ValidExpressions_Parse(string expression)
    {
        Assert.True(CronSchedule.TryParse(expression, out var cron, out var error), error);
        Assert.Equal(expression, cron.Text);
    }
}
