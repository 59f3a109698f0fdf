namespace Exit.Activities.Tests.Cti;

/// <summary>Danish wall-clock instants written out with their offsets, so expectations do not depend on the code under test.</summary>
internal static class Dk
{
    /// <summary>Winter time, +01:00.</summary>
    public static DateTimeOffset Winter(int year, int month, int day, int hour = 10) =>
        new(year, month, day, hour, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Summer time, +02:00.</summary>
    public static DateTimeOffset Summer(int year, int month, int day, int hour = 10) =>
        new(year, month, day, hour, 0, 0, TimeSpan.FromHours(2));
}
