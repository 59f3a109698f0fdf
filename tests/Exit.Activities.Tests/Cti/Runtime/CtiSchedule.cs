using System.Globalization;
using System.Text.Json.Nodes;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>
/// Expected task schedules, computed independently of the domain code: Copenhagen wall-clock dates via
/// <see cref="TimeZoneInfo"/> and plain <see cref="DateTime"/> arithmetic.
/// </summary>
public static class CtiSchedule
{
    public const string Worker = "worker-anna";
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    public sealed record Expected(string Kind, DateTimeOffset Due, string? Assignee)
    {
        public override string ToString() =>
            $"{Kind,-32} {TimeZoneInfo.ConvertTime(Due, Copenhagen).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {Assignee ?? "(supervisor role)"}";
    }

    public static DateTimeOffset Local(int year, int month, int day, int hour = 9) => Local(new DateTime(year, month, day, hour, 0, 0));

    public static DateTimeOffset Local(DateTime wallClock)
    {
        var offset = Copenhagen.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset);
    }

    public static DateTime Wall(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Copenhagen).DateTime;

    /// <summary>Every <paramref name="days"/> days (or calendar month when 0) from start, before end.</summary>
    public static IEnumerable<DateTimeOffset> Every(DateTime start, DateTime end, int days)
    {
        for (var k = 0; ; k++)
        {
            var d = days == 0 ? start.AddMonths(k) : start.AddDays(days * k);
            if (d >= end) yield break;
            yield return Local(d);
        }
    }

    public static string Format(IEnumerable<Expected> items) => string.Join("\n", items.Select(i => i.ToString()));

    public static IEnumerable<Expected> Sorted(IEnumerable<Expected> items) =>
        items.OrderBy(i => i.Due).ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Assignee, StringComparer.Ordinal);

    /// <summary>
    /// Danish days off 2026–2027 as the calendar prints them (public holidays, plus Constitution Day, Christmas Eve and
    /// New Year's Eve, which Exit treats as days off by default). Written out, not computed, so the tests check the
    /// calendar code instead of repeating it.
    /// </summary>
    public static readonly IReadOnlySet<DateOnly> DaysOff = new HashSet<DateOnly>
    {
        new(2026, 1, 1), new(2026, 4, 2), new(2026, 4, 3), new(2026, 4, 5), new(2026, 4, 6), new(2026, 5, 14),
        new(2026, 5, 24), new(2026, 5, 25), new(2026, 6, 5), new(2026, 12, 24), new(2026, 12, 25), new(2026, 12, 26), new(2026, 12, 31),
        new(2027, 1, 1), new(2027, 3, 25), new(2027, 3, 26), new(2027, 3, 28), new(2027, 3, 29), new(2027, 5, 6),
        new(2027, 5, 16), new(2027, 5, 17), new(2027, 6, 5), new(2027, 12, 24), new(2027, 12, 25), new(2027, 12, 26), new(2027, 12, 31),
    };

    /// <summary>The wall-clock time moved to the next Danish working day (same time of day), as an instant.</summary>
    public static DateTimeOffset W(DateTime wallClock)
    {
        while (wallClock.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || DaysOff.Contains(DateOnly.FromDateTime(wallClock)))
            wallClock = wallClock.AddDays(1);
        return Local(wallClock);
    }

    /// <summary>
    /// The standard course with the rhythm: contact period of 42 days ending with the decision "continue" at its bound,
    /// three phases of <paramref name="months"/> months. No contact is logged except, optionally, one with the citizen
    /// in phase 2 at <paramref name="phase2Contact"/>. Each period has one next-contact task (one rhythm interval after
    /// the period's start; weekly, weekly, fortnightly, monthly), and one more after the phase-2 contact (14 days on).
    /// Every due date falls on a Danish working day. The course raises no supervision (a series per SKP team holds it).
    /// </summary>
    public static List<Expected> StandardCourse(DateTime start, int months, DateTime? phase2Contact = null)
    {
        var p1 = start.AddDays(42);
        var p2 = p1.AddMonths(months);
        var p3 = p1.AddMonths(2 * months);
        var end = p1.AddMonths(3 * months);
        var list = new List<Expected>
        {
            new("cti.next-contact", W(start.AddDays(7)), Worker),
            new("cti.clarification", W(p1), Worker),
            new("cti.next-contact", W(p1.AddDays(7)), Worker),
            new("cti.next-contact", W(p2.AddDays(14)), Worker),
            new("cti.next-contact", W(p3.AddMonths(1)), Worker),
        };
        if (phase2Contact is { } contact) list.Add(new("cti.next-contact", W(contact.AddDays(14)), Worker));
        // No supervision: it is held as a series per SKP team (SupportPersons), not raised by the course.
        list.Add(new("cti.evaluation.baseline", W(p1), Worker));
        list.Add(new("cti.activity-plan.draft", W(p1.AddDays(28)), Worker));
        list.Add(new("cti.evaluation.phase-change", W(p2), Worker));
        list.Add(new("cti.phase-review", W(p2), Worker));
        list.Add(new("cti.evaluation.phase-change", W(p3), Worker));
        list.Add(new("cti.phase-review", W(p3.AddDays(14)), Worker)); // phase 3 gets its focus areas too
        list.Add(new("cti.handover.network-meeting", W(p3.AddDays(14)), Worker));
        list.Add(new("cti.handover.network-meeting", W(p3.AddDays(28)), Worker));
        list.Add(new("cti.handover.long-term-plan", W(end.AddMonths(-1)), Worker));
        list.Add(new("cti.handover.network-agreement", W(end.AddMonths(-1)), Worker));
        list.Add(new("cti.handover.closing-meeting", W(end), Worker));
        list.Add(new("cti.evaluation.final", W(end), Worker));
        return Sorted(list).ToList();
    }

    /// <summary>Evaluation answers; <paramref name="who5"/> items 0–5, life areas 1–10 (all ten the same).</summary>
    public static JsonObject Answers(int[] who5, string paidForSex, int lifeStep) => Answers(who5, paidForSex, Enumerable.Repeat(lifeStep, 10).ToArray());

    public static JsonObject Answers(int[]? who5, string? paidForSex, int[]? life)
    {
        var o = new JsonObject();
        if (who5 is not null) o["who5"] = new JsonArray(who5.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        if (paidForSex is not null) o["paidForSex"] = paidForSex;
        if (life is not null) o["lifeSituation"] = new JsonArray(life.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        return o;
    }
}
