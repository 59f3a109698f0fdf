namespace Exit.Activities.Cti.Domain;

/// <summary>
/// Which of the optional Danish days off count as non-working days. Constitution Day (5 June), Christmas Eve and
/// New Year's Eve are not public holidays by law but most municipal offices close; each is a local setting.
/// </summary>
public sealed record WorkingDayOptions
{
    public bool ConstitutionDayOff { get; set; } = true;
    public bool ChristmasEveOff { get; set; } = true;
    public bool NewYearsEveOff { get; set; } = true;
}

/// <summary>
/// Danish working days: Monday to Friday except the public holidays (helligdage) — New Year's Day, Maundy Thursday,
/// Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday, Christmas Day, Boxing Day — and,
/// until 2023, Store Bededag (the fourth Friday after Easter, abolished as a holiday from 2024 by lov nr. 221 of
/// 28 February 2023). Easter is computed (Gregorian computus), so the calendar needs no yearly list.
/// Planned contacts and task due dates are moved forward to the next working day at the same wall-clock time.
/// </summary>
public sealed class DanishWorkingDays(WorkingDayOptions? options = null)
{
    /// <summary>The last year Store Bededag was a public holiday.</summary>
    public const int LastGreatPrayerDayYear = 2023;

    public static DanishWorkingDays Default { get; } = new();

    public WorkingDayOptions Options { get; } = options ?? new WorkingDayOptions();

    /// <summary>Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The days off of a year (public holidays and the configured optional days), in date order.</summary>
    public IReadOnlyList<DateOnly> DaysOff(int year)
    {
        var easter = EasterSunday(year);
        var days = new List<DateOnly>
        {
            new(year, 1, 1),
            easter.AddDays(-3), // skærtorsdag
            easter.AddDays(-2), // langfredag
            easter,
            easter.AddDays(1),
            easter.AddDays(39), // Kristi himmelfartsdag
            easter.AddDays(49), // pinsedag
            easter.AddDays(50), // 2. pinsedag
            new(year, 12, 25),
            new(year, 12, 26),
        };
        if (year <= LastGreatPrayerDayYear) days.Add(easter.AddDays(26)); // store bededag
        if (Options.ConstitutionDayOff) days.Add(new DateOnly(year, 6, 5));
        if (Options.ChristmasEveOff) days.Add(new DateOnly(year, 12, 24));
        if (Options.NewYearsEveOff) days.Add(new DateOnly(year, 12, 31));
        days.Sort();
        return days;
    }

    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !DaysOff(day.Year).Contains(day);

    /// <summary>The day itself if it is a working day, else the next one.</summary>
    public DateOnly OnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    /// <summary>
    /// The instant moved forward to the next working day (Copenhagen date), same wall-clock time; unchanged when it
    /// already falls on one.
    /// </summary>
    public DateTimeOffset OnOrAfter(DateTimeOffset instant)
    {
        var local = CopenhagenCalendar.ToLocal(instant);
        var day = DateOnly.FromDateTime(local.DateTime);
        var working = OnOrAfter(day);
        return working == day ? instant : CopenhagenCalendar.AddDays(instant, working.DayNumber - day.DayNumber);
    }
}
