using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionJsonWriterTests
{
    [Theory]
    [MemberData(nameof(DefinitionFixtures.All), MemberType = typeof(DefinitionFixtures))]
    public void Export_ParseExport_RoundTripsIdentically(string fixture)
    {
        var first = DefinitionJsonWriter.Export(DefinitionJsonReader.Parse(DefinitionFixtures.Bytes(fixture)));
        var second = DefinitionJsonWriter.Export(DefinitionJsonReader.Parse(first));

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(DefinitionFixtures.All), MemberType = typeof(DefinitionFixtures))]
    public void Export_Fixture_WritesSchemaFirstAndNonNullCollections(string fixture)
    {
        var export = JsonNode.Parse(DefinitionJsonWriter.Export(DefinitionJsonReader.Parse(DefinitionFixtures.Bytes(fixture))))!.AsObject();

        Assert.Equal("$schema", export.First().Key);
        Assert.Equal(DefinitionJsonWriter.SchemaUrl, (string?)export["$schema"]);
        foreach (var key in (string[])["variables", "inputs", "outputs", "outcomes"]) Assert.IsType<JsonArray>(export[key]);
        Assert.IsType<JsonObject>(export["customProperties"]);
        Assert.IsType<JsonObject>(export["options"]);
        AssertActivitiesComplete(export["root"]!.AsObject());
    }

    [Fact]
    public void Normalise_DoesNotChangeTheModel()
    {
        var model = JsonNode.Parse("""{"definitionId":"d","root":{"id":"f","type":"Elsa.Flowchart"}}""")!.AsObject();
        var before = model.ToJsonString();

        var normalised = DefinitionJsonWriter.Normalise(model);

        Assert.Equal(before, model.ToJsonString());
        Assert.Equal("Workflow1:f", (string?)normalised["root"]!["nodeId"]);
    }

    private static void AssertActivitiesComplete(JsonObject activity)
    {
        Assert.IsType<string>((string?)activity["nodeId"]);
        Assert.NotNull((int?)activity["version"]);
        Assert.IsType<JsonObject>(activity["customProperties"]);
        if ((string?)activity["type"] == WellKnownTypes.Flowchart)
        {
            Assert.IsType<JsonArray>(activity["activities"]);
            Assert.IsType<JsonArray>(activity["connections"]);
        }
        foreach (var child in activity["activities"]?.AsArray() ?? []) AssertActivitiesComplete(child!.AsObject());
        if (activity["body"] is JsonObject body) AssertActivitiesComplete(body);
    }
}
