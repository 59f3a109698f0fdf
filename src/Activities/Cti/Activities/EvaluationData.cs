using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// The data an evaluation task is completed with: answers only, never scores (the system computes those).
/// <code>{"who5":[3,2,4,1,2], "paidForSex":"Several", "lifeSituation":{"HousingAdministration":4, …all ten…}}</code>
/// Each instrument may be left out (not answered); at least one must be present.
/// </summary>
public static class EvaluationData
{
    public static Evaluation Parse(JsonNode? data, CourseId courseId, EvaluationKind kind, DateTimeOffset date)
    {
        var o = data as JsonObject;
        Who5? who5 = null;
        if (o?["who5"] is JsonArray items)
            who5 = Who5.FromItems(items.Select(i => i?.GetValue<int>() ?? -1).ToArray());

        PaidForSexLastMonth? paid = null;
        if (o?["paidForSex"] is JsonValue p && p.TryGetValue<string>(out var text))
        {
            paid = Enum.TryParse<SexSaleFrequency>(text, ignoreCase: true, out var frequency) && Enum.IsDefined(frequency)
                ? new PaidForSexLastMonth(frequency)
                : throw new CtiRuleViolation(CtiRules.PaidForSexFrequency,
                    $"paidForSex must be one of {string.Join(", ", Enum.GetNames<SexSaleFrequency>())}.");
        }

        LifeSituationRating? life = o?["lifeSituation"] switch
        {
            JsonArray steps => LifeSituationRating.FromSteps(steps.Select(s => s?.GetValue<int>() ?? 0).ToArray()),
            JsonObject areas => LifeSituationRating.Create(areas.ToDictionary(
                a => Enum.TryParse<LifeArea>(a.Key, ignoreCase: true, out var area) && Enum.IsDefined(area)
                    ? area
                    : throw new CtiRuleViolation(CtiRules.LifeSituationIncomplete, $"'{a.Key}' is not one of the ten life areas."),
                a => a.Value?.GetValue<int>() ?? 0)),
            _ => null,
        };

        return new Evaluation(courseId, kind, date, who5, paid, life);
    }

    /// <summary>The answers as task data (what <see cref="Parse"/> reads), plus the computed scores for display.</summary>
    public static JsonObject ToData(Evaluation e)
    {
        var o = new JsonObject();
        if (e.Who5 is { } w)
        {
            o["who5"] = new JsonArray(w.Items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
            o["who5Score"] = w.Score;
            o["who5Band"] = w.Band.ToString();
        }

        if (e.PaidForSex is { } p)
        {
            o["paidForSex"] = p.Frequency.ToString();
            o["paidForSexLastMonth"] = p.Paid;
        }

        if (e.LifeSituation is { } l)
        {
            var areas = new JsonObject();
            foreach (var (area, step) in l.Ratings.OrderBy(r => r.Key)) areas[area.ToString()] = step;
            o["lifeSituation"] = areas;
            o["lifeSituationTotal"] = l.Total;
        }

        return o;
    }

    public static JsonObject FormSchema(EvaluationKind kind) => new()
    {
        ["type"] = "object",
        ["title"] = $"{kind} evaluation",
        ["properties"] = new JsonObject
        {
            ["who5"] = new JsonObject
            {
                ["type"] = "array", ["minItems"] = 5, ["maxItems"] = 5, ["title"] = "WHO-5 (last two weeks), five items 0–5",
                ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 5 },
            },
            ["paidForSex"] = new JsonObject
            {
                ["type"] = "string", ["title"] = "Received payment for sex in the last month (how often)",
                ["enum"] = new JsonArray(Enum.GetNames<SexSaleFrequency>().Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            },
            ["lifeSituation"] = new JsonObject
            {
                ["type"] = "object", ["title"] = "Life situation, ten areas rated 1–10",
                ["properties"] = new JsonObject(Enum.GetNames<LifeArea>().Select(n =>
                    new KeyValuePair<string, JsonNode?>(n, new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 10 }))),
            },
        },
    };
}
