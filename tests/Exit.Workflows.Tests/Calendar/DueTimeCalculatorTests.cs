using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Calendar;

public sealed class DueTimeCalculatorTests
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    private static DateTimeOffset Cph(int y, int mo, int d, int h, int mi = 0) =>
        DueTimeCalculator.ToInstant(new DateTime(y, mo, d, h, mi, 0), Copenhagen);

    [Fact]
    public void Add_P4M_AcrossDst_KeepsLocalDateAndHour()
    {
        var from = new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.FromHours(1));

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P4M"), Copenhagen);

        Assert.Equal(new DateTimeOffset(2026, 5, 15, 10, 0, 0, TimeSpan.FromHours(2)), due);
        Assert.Equal(TimeSpan.FromHours(2), due.Offset);
        Assert.Equal(new DateTimeOffset(2026, 5, 15, 8, 0, 0, TimeSpan.Zero), due.ToUniversalTime());
    }

    [Theory]
    [InlineData(2026, 28)]
    [InlineData(2028, 29)]
    public void Add_P1M_From31January_ClampsToEndOfFebruary(int year, int expectedDay)
    {
        var from = Cph(year, 1, 31, 10);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1M"), Copenhagen);

        Assert.Equal(Cph(year, 2, expectedDay, 10), due);
    }

    [Fact]
    public void Add_P1D_AcrossSpringForward_Is23ElapsedHours()
    {
        var from = Cph(2026, 3, 28, 12);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1D"), Copenhagen);

        Assert.Equal(Cph(2026, 3, 29, 12), due);
        Assert.Equal(TimeSpan.FromHours(23), due - from);
    }

    [Fact]
    public void Add_ElsaTimeSpanDay_AcrossSpringForward_Is24ElapsedHours()
    {
        var from = Cph(2026, 3, 28, 12);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("1.00:00:00"), Copenhagen);

        Assert.Equal(TimeSpan.FromHours(24), due - from);
        Assert.Equal(13, due.Hour);
    }

    [Fact]
    public void Add_IntoDstGap_ShiftsForwardByTheGap()
    {
        // 29 March 2026: Copenhagen jumps from 02:00 to 03:00; 02:30 does not exist.
        var from = Cph(2026, 3, 28, 2, 30);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1D"), Copenhagen);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(2)), due);
    }

    [Fact]
    public void Add_IntoDstOverlap_TakesEarlierInstant()
    {
        // 25 October 2026: Copenhagen goes back from 03:00 to 02:00; 02:30 happens twice.
        var from = Cph(2026, 10, 24, 2, 30);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1D"), Copenhagen);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), due);
    }

    [Fact]
    public void Add_CalendarThenExact_AddsTimeAsElapsed()
    {
        // P1DT2H from Saturday 12:00 over spring-forward: Sunday 12:00 local, then 2 elapsed hours.
        var from = Cph(2026, 3, 28, 12);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1DT2H"), Copenhagen);

        Assert.Equal(Cph(2026, 3, 29, 14), due);
    }

    [Fact]
    public void Add_Utc_P1Y_FromLeapDay_ClampsTo28February()
    {
        var from = new DateTimeOffset(2028, 2, 29, 9, 0, 0, TimeSpan.Zero);

        var due = DueTimeCalculator.Add(from, WorkflowDuration.Parse("P1Y"), TimeZoneInfo.Utc);

        Assert.Equal(new DateTimeOffset(2029, 2, 28, 9, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void SchedulingOptions_UnknownZone_FallsBackToUtcWithWarning()
    {
        var options = new SchedulingOptions { TimeZone = "Mars/Olympus_Mons" };

        var zone = options.ResolveTimeZone(out var warning);

        Assert.Same(TimeZoneInfo.Utc, zone);
        Assert.Contains("Mars/Olympus_Mons", warning);
        Assert.Equal("Europe/Copenhagen", new SchedulingOptions().ResolveTimeZone().Id);
    }
}

public sealed class DueTimesTests
{
    [Fact]
    public void After_And_NextOccurrence_UseInjectedClockAndConfiguredZone()
    {
        var clock = new Exit.Workflows.Testing.ManualTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        var dueTimes = new DueTimes(clock, new SchedulingOptions());

        Assert.Equal(new DateTimeOffset(2026, 5, 15, 10, 0, 0, TimeSpan.FromHours(2)), dueTimes.After(WorkflowDuration.Parse("P4M")));
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 8, 0, 0, TimeSpan.FromHours(1)), dueTimes.NextOccurrence(CronSchedule.Parse("0 0 8 * * *")));
        Assert.Equal("Europe/Copenhagen", dueTimes.Zone.Id);
    }
}
