using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Exit.Activities.Cti.Domain;

namespace Exit.Activities.Cti.Persistence;

/// <summary>JSON form of <see cref="CourseState"/> (enums as names), used by the course row and the workflow variable.</summary>
public static class CourseJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(CourseState state) => JsonSerializer.Serialize(state, Options);

    public static JsonNode ToNode(CourseState state) => JsonSerializer.SerializeToNode(state, Options)!;

    public static CourseState Deserialize(string json) =>
        JsonSerializer.Deserialize<CourseState>(json, Options) ?? throw new JsonException("Empty course state.");

    public static CourseState FromNode(JsonNode node) =>
        node.Deserialize<CourseState>(Options) ?? throw new JsonException("Empty course state.");
}
