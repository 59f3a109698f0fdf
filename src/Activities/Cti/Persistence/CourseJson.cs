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

    /// <summary>The support network as a command payload (the course page's and the API's network edit).</summary>
    public static JsonNode NetworkToNode(IReadOnlyList<SupportNetworkMember> members) => JsonSerializer.SerializeToNode(members, Options)!;

    public static IReadOnlyList<SupportNetworkMember> NetworkFromNode(JsonNode? node) =>
        node?.Deserialize<List<SupportNetworkMember>>(Options) ?? [];

    public static CourseState FromNode(JsonNode node) =>
        node.Deserialize<CourseState>(Options) ?? throw new JsonException("Empty course state.");
}
