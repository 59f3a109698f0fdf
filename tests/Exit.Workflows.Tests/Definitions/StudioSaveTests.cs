using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

/// <summary>The save bodies the real Studio sent, through the publisher.</summary>
public sealed class StudioSaveTests
{
    private static readonly ActivityDescriptor SendReport = TestRegistry.Describe("Acme.SendReport", "Acme",
        TestRegistry.Input("Recipient", typeof(string), "String") with { IsRequired = true },
        TestRegistry.Input("Format", typeof(string), "String"),
        TestRegistry.Input("IncludeCharts", typeof(bool), "Boolean"),
        TestRegistry.Input("Body", typeof(string), "String")) with { Ports = ["Done", "Failed"] };

    private readonly InMemoryDefinitionStore _store = new();

    [Fact]
    public async Task SaveAsync_StudioCreateBody_IsNormalisedForTheEditor()
    {
        var result = await Publisher(SendReport).SaveAsync(Model(StudioSaveRequests.Create), publish: false);

        var json = result.Version.Json;
        Assert.Equal("id-1", (string?)json["definitionId"]);
        Assert.Equal("id-2", (string?)json["id"]);
        foreach (var key in (string[])["variables", "inputs", "outputs", "outcomes"]) Assert.IsType<JsonArray>(json[key]);
        Assert.IsType<JsonObject>(json["customProperties"]);
        Assert.IsType<JsonObject>(json["options"]);
        Assert.Equal("Workflow1:1918706b2128f79e", (string?)json["root"]!["nodeId"]);
        Assert.IsType<JsonArray>(json["root"]!["activities"]);
        Assert.IsType<JsonArray>(json["root"]!["connections"]);
        Assert.Equal("Workflow 1", result.Version.Name);
    }

    [Fact]
    public async Task SaveAsync_StudioEdits_OverwriteTheDraftAndReadTheBodyInput()
    {
        var publisher = Publisher(SendReport);
        await publisher.SaveAsync(Model(StudioSaveRequests.FirstSave), publish: false);

        var second = await publisher.SaveAsync(Model(StudioSaveRequests.AfterDragAndConnect), publish: false);

        Assert.Equal((DefinitionChange.Overwritten, 1, false), (second.Change, second.Version.Version, second.Version.IsPublished));
        Assert.Equal(DefinitionProblemCodes.MissingRequiredInput, Assert.Single(second.Problems).Code);
        var report = second.Version.Graph.Root.Activities.Single(a => a.Id == "report1");
        Assert.Equal("Hi", report.Inputs["body"].Text);
        Assert.Null(report.Body);
        Assert.Equal("True", report.Inputs["includeCharts"].Text);
        Assert.Contains(new FlowConnection("report1", "Failed", "d1d0e0cabe35581d", "In"), second.Version.Graph.Root.Connections);
    }

    [Fact]
    public async Task SaveAsync_DroppedNodeWithoutRequiredInput_CannotBePublished()
    {
        var publisher = Publisher(SendReport);

        var ex = await Assert.ThrowsAsync<DefinitionValidationException>(() =>
            publisher.SaveAsync(Model(StudioSaveRequests.AfterDragAndConnect), publish: true));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal((DefinitionProblemCodes.MissingRequiredInput, "d1d0e0cabe35581d", "recipient"), (problem.Code, problem.ActivityId, problem.InputName));
        Assert.Contains("'SendReport2'", problem.Message);
    }

    [Fact]
    public async Task SaveAsync_EmptyCanvasAfterUnknownType_IsRefused()
    {
        // Without a SendReport descriptor Studio shows an empty canvas and posts activities: [] (CONTRACT §7.4).
        var publisher = Publisher();
        await publisher.SaveAsync(Model(StudioSaveRequests.FirstSave), publish: false);
        var emptied = Model(StudioSaveRequests.FirstSave);
        emptied["root"]!["activities"] = new JsonArray();
        emptied["root"]!["connections"] = new JsonArray();

        var ex = await Assert.ThrowsAsync<DefinitionSaveRefusedException>(() => publisher.SaveAsync(emptied, publish: false));

        Assert.Contains("Acme.SendReport v1", ex.Message);
        Assert.Equal(["timer1", "delay1", "report1"], ex.LostActivityIds);
        var stored = await _store.FindAsync("wf1", VersionOptions.Latest, default);
        Assert.Equal(3, stored!.Graph.Root.Activities.Count);
    }

    private DefinitionPublisher Publisher(params ActivityDescriptor[] extra)
    {
        var registry = TestRegistry.Create(extra);
        return new DefinitionPublisher(_store, new DefinitionValidator(registry), registry, new SequentialIds(),
            new ManualClock(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero)));
    }

    private static JsonObject Model(string request) => JsonNode.Parse(request)!["model"]!.DeepClone().AsObject();
}
