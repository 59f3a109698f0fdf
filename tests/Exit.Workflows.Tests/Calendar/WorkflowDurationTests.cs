using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Calendar;

public sealed class WorkflowDurationTests
{
    [Theory]
    [InlineData("00:00:05", 0, 0, 0, 5)]
    [InlineData("00:01:00", 0, 0, 0, 60)]
    [InlineData("1.02:00:00", 0, 0, 0, 93_600)]
    [InlineData("5", 0, 0, 0, 432_000)] // Elsa: a bare number is days (exact)
    [InlineData("PT5S", 0, 0, 0, 5)]
    [InlineData("pt1.5s", 0, 0, 0, 1.5)]
    [InlineData("P4M", 0, 4, 0, 0)]
    [InlineData("P2W", 0, 0, 14, 0)]
    [InlineData("P1W2D", 0, 0, 9, 0)]
    [InlineData("P1Y2M10DT2H30M", 1, 2, 10, 9_000)]
    [InlineData("PT36H", 0, 0, 0, 129_600)]
    [InlineData("-P1D", 0, 0, -1, 0)]
    public void TryParse_ValidText_GivesParts(string text, int years, int months, int days, double seconds)
    {
        Assert.True(WorkflowDuration.TryParse(text, DurationConstraint.Any, out var d, out var error), error);

        Assert.Equal(new WorkflowDuration(years, months, days, TimeSpan.FromSeconds(seconds)), d);
    }

    [Theory]
    [InlineData("P1Y2M10DT2H30M")]
    [InlineData("P4M")]
    [InlineData("PT5S")]
    [InlineData("PT0.25S")]
    [InlineData("-P1DT1H")]
    public void ToString_RoundTripsIso(string text)
    {
        Assert.Equal(text, WorkflowDuration.Parse(text).ToString());
    }

    [Fact]
    public void ToString_ElsaDays_IsExactHours()
    {
        Assert.Equal("PT120H", WorkflowDuration.Parse("5").ToString());
    }

    [Theory]
    [InlineData("", "value is empty")]
    [InlineData("   ", "value is empty")]
    [InlineData("5 minutes", "'5 minutes' is not a valid duration")]
    [InlineData("P", "no parts after 'P'")]
    [InlineData("PT", "'T' must be followed by at least one of H, M, S")]
    [InlineData("P5H", "'H' is a time part and must come after 'T' (e.g. 'PT5H')")]
    [InlineData("PT1D", "'D' is a date part and must come before 'T'")]
    [InlineData("P1D2Y", "'2Y' is out of order or repeated")]
    [InlineData("P1X", "'X' is not a duration designator")]
    [InlineData("P1.5D", "only seconds may have a fraction")]
    [InlineData("P5", "has no designator")]
    [InlineData("PT1H1H", "out of order or repeated")]
    public void TryParse_BadText_ExplainsWhatAndWhichFormsAreAccepted(string text, string expected)
    {
        Assert.False(WorkflowDuration.TryParse(text, DurationConstraint.Any, out _, out var error));

        Assert.Contains(expected, error);
        Assert.Contains("Accepted forms", error);
        Assert.Contains("PT5S", error);
        Assert.Contains("hh:mm:ss", error);
    }

    [Theory]
    [InlineData("00:00:00", DurationConstraint.Positive, "is zero")]
    [InlineData("PT0S", DurationConstraint.Positive, "is zero")]
    [InlineData("-00:00:05", DurationConstraint.NonNegative, "is negative")]
    [InlineData("-P1D", DurationConstraint.Positive, "is negative")]
    public void TryParse_ZeroOrNegative_WhereNotAllowed_IsReported(string text, DurationConstraint constraint, string expected)
    {
        Assert.False(WorkflowDuration.TryParse(text, constraint, out _, out var error));

        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_Zero_AllowedForNonNegative()
    {
        Assert.True(WorkflowDuration.TryParse("00:00:00", DurationConstraint.NonNegative, out var d, out _));
        Assert.True(d.IsZero);
    }

    [Fact]
    public void Parse_Bad_ThrowsFormatExceptionWithMessage()
    {
        var ex = Assert.Throws<FormatException>(() => WorkflowDuration.Parse("soon"));

        Assert.Contains("'soon' is not a valid duration", ex.Message);
    }
}
