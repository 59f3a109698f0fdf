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

    /// <summary>The full standard course: contact period of 42 days, three phases of <paramref name="months"/> months.</summary>
    public static List<Expected> StandardCourse(DateTime start, int months)
    {
        var p1 = start.AddDays(42);
        var p2 = p1.AddMonths(months);
        var p3 = p1.AddMonths(2 * months);
        var end = p1.AddMonths(3 * months);
        var list = new List<Expected>();
        var contact = Every(start, p1, 7).ToList();
        list.Add(new("cti.contact-meeting.first", contact[0], Worker));
        list.AddRange(contact.Skip(1).Select(d => new Expected("cti.contact-meeting", d, Worker)));
        list.AddRange(Every(p1, p2, 7).Select(d => new Expected("cti.contact-meeting", d, Worker)));
        list.AddRange(Every(p2, p3, 14).Select(d => new Expected("cti.contact-meeting", d, Worker)));
        list.AddRange(Every(p3, end, 0).Select(d => new Expected("cti.contact-meeting", d, Worker)));
        list.AddRange(Every(start, end, 0).Select(d => new Expected("cti.supervision", d, null)));
        list.Add(new("cti.evaluation.baseline", Local(p1), Worker));
        list.Add(new("cti.activity-plan.draft", Local(p1.AddDays(28)), Worker));
        list.Add(new("cti.evaluation.phase-change", Local(p2), Worker));
        list.Add(new("cti.phase-review", Local(p2), Worker));
        list.Add(new("cti.evaluation.phase-change", Local(p3), Worker));
        list.Add(new("cti.phase-review", Local(p3.AddDays(14)), Worker)); // phase 3 gets its focus areas too
        list.Add(new("cti.handover.network-meeting", Local(p3.AddDays(14)), Worker));
        list.Add(new("cti.handover.network-meeting", Local(p3.AddDays(28)), Worker));
        list.Add(new("cti.handover.long-term-plan", Local(end.AddMonths(-1)), Worker));
        list.Add(new("cti.handover.network-agreement", Local(end.AddMonths(-1)), Worker));
        list.Add(new("cti.handover.closing-meeting", Local(end), Worker));
        list.Add(new("cti.evaluation.final", Local(end), Worker));
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
