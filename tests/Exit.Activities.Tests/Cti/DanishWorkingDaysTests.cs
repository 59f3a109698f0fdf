using Exit.Activities.Cti.Domain;
using Xunit;

namespace Exit.Activities.Tests.Cti;

/// <summary>The Danish working-day calendar, checked against dates written out from the printed calendar.</summary>
public class DanishWorkingDaysTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Theory]
    [InlineData(2023, 4, 9)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2028, 4, 16)]
    [InlineData(2030, 4, 21)]
    [InlineData(2038, 4, 25)]
    public void EasterSunday_IsTheDateInTheCalendar(int year, int month, int day) =>
        Assert.Equal(D(year, month, day), DanishWorkingDays.EasterSunday(year));

    [Fact]
    public void DaysOff2023_IncludeStoreBededag()
    {
        var days = DanishWorkingDays.Default.DaysOff(2023);
        Assert.Equal(
            [D(2023, 1, 1), D(2023, 4, 6), D(2023, 4, 7), D(2023, 4, 9), D(2023, 4, 10), D(2023, 5, 5), D(2023, 5, 18),
             D(2023, 5, 28), D(2023, 5, 29), D(2023, 6, 5), D(2023, 12, 24), D(2023, 12, 25), D(2023, 12, 26), D(2023, 12, 31)],
            days);
        Assert.False(DanishWorkingDays.Default.IsWorkingDay(D(2023, 5, 5))); // store bededag, a Friday
    }

    [Fact]
    public void DaysOff2024AndLater_HaveNoStoreBededag()
    {
        // Store bededag would have been Friday 26 April 2024 and Friday 16 May 2025: ordinary working days now.
        Assert.True(DanishWorkingDays.Default.IsWorkingDay(D(2024, 4, 26)));
        Assert.True(DanishWorkingDays.Default.IsWorkingDay(D(2025, 5, 16)));
        Assert.Equal(
            [D(2027, 1, 1), D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 28), D(2027, 3, 29), D(2027, 5, 6), D(2027, 5, 16),
             D(2027, 5, 17), D(2027, 6, 5), D(2027, 12, 24), D(2027, 12, 25), D(2027, 12, 26), D(2027, 12, 31)],
            DanishWorkingDays.Default.DaysOff(2027));
    }

    [Fact]
    public void MaundyThursday2027_MovesToTuesday30March()
    {
        // 25 March Maundy Thursday, 26 Good Friday, 27–28 weekend and Easter Sunday, 29 Easter Monday.
        Assert.Equal(D(2027, 3, 30), DanishWorkingDays.Default.OnOrAfter(D(2027, 3, 25)));
        Assert.Equal(Dk.Summer(2027, 3, 30), DanishWorkingDays.Default.OnOrAfter(Dk.Winter(2027, 3, 25)));
    }

    [Fact]
    public void AWorkingDay_IsLeftAlone_AndAWeekendMovesToMonday()
    {
        Assert.Equal(Dk.Winter(2026, 3, 10), DanishWorkingDays.Default.OnOrAfter(Dk.Winter(2026, 3, 10)));
        Assert.Equal(Dk.Winter(2026, 3, 9), DanishWorkingDays.Default.OnOrAfter(Dk.Winter(2026, 3, 7)));
        // Ascension Day 2026 (Thursday 14 May) → Friday 15 May.
        Assert.Equal(Dk.Summer(2026, 5, 15), DanishWorkingDays.Default.OnOrAfter(Dk.Summer(2026, 5, 14)));
        // Christmas 2026: Thursday 24 to Saturday 26, Sunday 27 → Monday 28 December.
        Assert.Equal(Dk.Winter(2026, 12, 28), DanishWorkingDays.Default.OnOrAfter(Dk.Winter(2026, 12, 24)));
    }

    [Fact]
    public void TheOptionalDaysOff_AreConfigurable()
    {
        var open = new DanishWorkingDays(new WorkingDayOptions { ConstitutionDayOff = false, ChristmasEveOff = false, NewYearsEveOff = false });
        Assert.True(open.IsWorkingDay(D(2026, 6, 5)));  // Friday, Constitution Day
        Assert.True(open.IsWorkingDay(D(2026, 12, 24))); // Thursday
        Assert.True(open.IsWorkingDay(D(2026, 12, 31))); // Thursday
        Assert.False(DanishWorkingDays.Default.IsWorkingDay(D(2026, 6, 5)));
        Assert.False(open.IsWorkingDay(D(2026, 12, 25)));
    }
}
