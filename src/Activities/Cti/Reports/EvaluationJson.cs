using System.Text;
using System.Text.Json;
using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Reports;

/// <summary>
/// Reads an evaluation row's instrument JSON as <see cref="Persistence.CtiCommitParticipant"/> writes it (WHO-5 items as a
/// number array, life-situation ratings as an object of area name → step) without the general serializer: the reports
/// read every evaluation of every course, and this is most of that read's time. Anything else is refused as malformed.
/// </summary>
internal static class EvaluationJson
{
    private static readonly Dictionary<string, LifeArea> AreaNames = Enum.GetValues<LifeArea>().ToDictionary(a => a.ToString(), StringComparer.Ordinal);

    public static int[] Items(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<int>(Who5.ItemCount);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number) throw new JsonException("WHO-5 items must be numbers.");
            items.Add(reader.GetInt32());
        }

        return items.ToArray();
    }

    public static Dictionary<LifeArea, int> Ratings(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(ref reader, JsonTokenType.StartObject);
        var ratings = new Dictionary<LifeArea, int>(AreaNames.Count);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            if (!AreaNames.TryGetValue(name, out var area)) throw new JsonException($"Unknown life area '{name}'.");
            Expect(ref reader, JsonTokenType.Number);
            ratings[area] = reader.GetInt32();
        }

        return ratings;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token) throw new JsonException($"Expected {token} in an evaluation's JSON.");
    }
}
