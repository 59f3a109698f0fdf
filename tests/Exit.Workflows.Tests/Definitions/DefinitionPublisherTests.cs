using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionPublisherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDefinitionStore _store = new();
    private readonly ManualClock _clock = new(T0);
    private readonly DefinitionPublisher _publisher;

    public DefinitionPublisherTests()
    {
        var registry = TestRegistry.Create();
        _publisher = new DefinitionPublisher(_store, new DefinitionValidator(registry), registry, new SequentialIds(), _clock);
    }

    [Fact]
    public async Task SaveAsync_NewModelWithoutIds_AssignsIdsAndStoresDraftV1()
    {
        var result = await _publisher.SaveAsync(Model(null, "Hello"), publish: false);

        var v = result.Version;
        Assert.Equal(DefinitionChange.NewVersion, result.Change);
        Assert.Equal(("id-1", "id-2", 1, true, false), (v.DefinitionId, v.Id, v.Version, v.IsLatest, v.IsPublished));
        Assert.Equal(T0, v.CreatedAt);
        Assert.Equal("Hello", v.Name);
        Assert.Equal("id-1", (string?)v.Json["definitionId"]);
        Assert.Equal("id-2", (string?)v.Json["id"]);
        Assert.Equal(1, (int?)v.Json["version"]);
        Assert.Equal(false, (bool?)v.Json["isPublished"]);
        Assert.Equal("Workflow1:root", (string?)v.Json["root"]!["nodeId"]);
        Assert.Empty(result.Problems);
        Assert.NotNull(await _store.FindByIdAsync("id-2", default));
    }

    [Fact]
    public async Task SaveAsync_DraftTwice_OverwritesTheDraft()
    {
        var first = await _publisher.SaveAsync(Model("wf", "A"), publish: false);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = await _publisher.SaveAsync(Model("wf", "B"), publish: false);

        Assert.Equal(DefinitionChange.Overwritten, second.Change);
        Assert.Equal((first.Version.Id, 1, T0), (second.Version.Id, second.Version.Version, second.Version.CreatedAt));
        var all = await AllVersions("wf");
        Assert.Equal("B", Assert.Single(all).Name);
    }

    [Fact]
    public async Task Versioning_DraftPublishEditPublish_FollowsElsaRules()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: false);
        var v1 = await _publisher.PublishAsync("wf");
        Assert.Equal((1, true, true), (v1.Version, v1.IsLatest, v1.IsPublished));

        var edit = await _publisher.SaveAsync(Model("wf", "B"), publish: false);
        Assert.Equal(DefinitionChange.NewVersion, edit.Change);
        Assert.Equal((2, true, false), (edit.Version.Version, edit.Version.IsLatest, edit.Version.IsPublished));
        var published = await _store.FindAsync("wf", VersionOptions.Published, default);
        Assert.Equal((1, false, "A"), (published!.Version, published.IsLatest, published.Name));

        var v2 = await _publisher.PublishAsync("wf");

        Assert.Equal((2, true, true), (v2.Version, v2.IsLatest, v2.IsPublished));
        var old = await _store.FindAsync("wf", new VersionOptions(VersionSelector.Specific, 1), default);
        Assert.Equal((false, false), (old!.IsLatest, old.IsPublished));
        Assert.Equal(false, (bool?)old.Json["isPublished"]);
        Assert.Equal(2, (await AllVersions("wf")).Count);
    }

    [Fact]
    public async Task SaveAsync_PublishOverDraftWithOlderPublished_UnpublishesTheOlder()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);
        await _publisher.SaveAsync(Model("wf", "B"), publish: false);

        var result = await _publisher.SaveAsync(Model("wf", "C"), publish: true);

        Assert.Equal(DefinitionChange.Overwritten, result.Change);
        Assert.Equal((2, true, true, "C"), (result.Version.Version, result.Version.IsLatest, result.Version.IsPublished, result.Version.Name));
        var v1 = await _store.FindAsync("wf", new VersionOptions(VersionSelector.Specific, 1), default);
        Assert.False(v1!.IsPublished);
    }

    [Fact]
    public async Task SaveAsync_PublishInvalid_StoresNothing()
    {
        var model = JsonNode.Parse(DefinitionFixtures.Text("import-and-publish/bad-cron-expression.json"))!.AsObject();

        var ex = await Assert.ThrowsAsync<DefinitionValidationException>(() => _publisher.SaveAsync(model, publish: true));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(DefinitionProblemCodes.InvalidCron, problem.Code);
        Assert.Contains("Cron1", ex.Message);
        Assert.Empty(await AllVersions("311cedd544cfe691"));
    }

    [Fact]
    public async Task SaveAsync_PublishInvalidEditOfPublished_LeavesStoredVersionsAlone()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);

        await Assert.ThrowsAsync<DefinitionValidationException>(() =>
            _publisher.SaveAsync(Model("wf", "A", """{"id":"d","type":"Elsa.Delay","timeSpan":"soon"}"""), publish: true));

        var only = Assert.Single(await AllVersions("wf"));
        Assert.Equal((1, true, true), (only.Version, only.IsLatest, only.IsPublished));
    }

    [Fact]
    public async Task SaveAsync_DraftWithProblems_IsStoredAndReportsThem()
    {
        var result = await _publisher.SaveAsync(Model("wf", "A", """{"id":"d","type":"Elsa.Delay","timeSpan":"soon"}"""), publish: false);

        Assert.Equal(DefinitionProblemCodes.InvalidDuration, Assert.Single(result.Problems).Code);
        Assert.Single(await AllVersions("wf"));
        await Assert.ThrowsAsync<DefinitionValidationException>(() => _publisher.PublishAsync("wf"));
        Assert.False(Assert.Single(await AllVersions("wf")).IsPublished);
    }

    [Fact]
    public async Task SaveAsync_SameContentAsPublishedLatest_CreatesNoVersion()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);

        var again = await _publisher.SaveAsync(Model("wf", "A"), publish: false);

        Assert.Equal(DefinitionChange.Unchanged, again.Change);
        Assert.Single(await AllVersions("wf"));
    }

    [Fact]
    public async Task SaveAsync_EmptyRootOverNonEmpty_IsRefused()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);
        var empty = JsonNode.Parse("""{"definitionId":"wf","name":"A","root":{"id":"root","type":"Elsa.Flowchart","activities":[],"connections":[]}}""")!.AsObject();

        var ex = await Assert.ThrowsAsync<DefinitionSaveRefusedException>(() => _publisher.SaveAsync(empty, publish: false));

        Assert.Contains("no activities", ex.Message);
        Assert.Equal(["w1"], ex.LostActivityIds);
        Assert.Single(await AllVersions("wf"));
    }

    [Fact]
    public async Task SaveAsync_DroppingActivityOfUnknownType_IsRefused()
    {
        var withCustom = Model("wf", "A", """{"id":"acme1","name":"SendReport1","type":"Acme.SendReport"}""");
        await _publisher.SaveAsync(withCustom, publish: false);

        var ex = await Assert.ThrowsAsync<DefinitionSaveRefusedException>(() => _publisher.SaveAsync(Model("wf", "B"), publish: false));

        Assert.Equal(["acme1"], ex.LostActivityIds);
        Assert.Contains("Acme.SendReport", ex.Message);
        Assert.Equal("A", Assert.Single(await AllVersions("wf")).Name);
        var kept = await _publisher.SaveAsync(Model("wf", "C", """{"id":"acme1","name":"SendReport1","type":"Acme.SendReport"}"""), publish: false);
        Assert.Equal("C", kept.Version.Name);
    }

    [Fact]
    public async Task ImportAsync_NewFile_PublishesKeepingDefinitionId()
    {
        var result = await _publisher.ImportAsync(DefinitionFixtures.Text("import-and-publish/timer-workflow.json"));

        Assert.Equal(DefinitionImportStatus.Imported, result.Status);
        var parsed = DefinitionJsonReader.Parse(DefinitionFixtures.Bytes("import-and-publish/timer-workflow.json"));
        Assert.Equal((parsed.DefinitionId, parsed.Id, 1, true, true),
            (result.Version.DefinitionId, result.Version.Id, result.Version.Version, result.Version.IsLatest, result.Version.IsPublished));
    }

    [Fact]
    public async Task ImportAsync_IdenticalFile_IsUnchanged()
    {
        var json = DefinitionFixtures.Text("import-and-execute/implicit-loop.json");
        var first = await _publisher.ImportAsync(json);
        _clock.Advance(TimeSpan.FromHours(1));

        var second = await _publisher.ImportAsync(json);

        Assert.Equal(DefinitionImportStatus.Unchanged, second.Status);
        Assert.Equal(first.Version.Id, second.Version.Id);
        Assert.Single(await AllVersions(first.Version.DefinitionId));
    }

    [Fact]
    public async Task ImportAsync_ExportedFile_IsUnchanged()
    {
        var first = await _publisher.ImportAsync(DefinitionFixtures.Text("workflow-completion/fork.json"));

        var second = await _publisher.ImportAsync(DefinitionJsonWriter.Export(first.Version.Json));

        Assert.Equal(DefinitionImportStatus.Unchanged, second.Status);
    }

    [Fact]
    public async Task ImportAsync_SameFileWhileADraftExists_LeavesTheDraftLatest()
    {
        var json = DefinitionFixtures.Text("workflow-completion/hello-world.json");
        var first = await _publisher.ImportAsync(json);
        var model = first.Version.Json.DeepClone().AsObject();
        model["name"] = "Edited in Studio";
        await _publisher.SaveAsync(model, publish: false);

        var again = await _publisher.ImportAsync(json);

        Assert.Equal((DefinitionImportStatus.Unchanged, 1), (again.Status, again.Version.Version));
        var latest = await _store.FindAsync(first.Version.DefinitionId, VersionOptions.Latest, default);
        Assert.Equal((2, "Edited in Studio"), (latest!.Version, latest.Name));
    }

    [Fact]
    public async Task ImportAsync_ChangedFile_IsANewVersion()
    {
        var json = DefinitionFixtures.Text("workflow-completion/hello-world.json");
        var first = await _publisher.ImportAsync(json);

        var second = await _publisher.ImportAsync(json.Replace("Hello World!", "Hello again!"));

        Assert.Equal(DefinitionImportStatus.Imported, second.Status);
        Assert.Equal((2, true, true), (second.Version.Version, second.Version.IsLatest, second.Version.IsPublished));
        Assert.NotEqual(first.Version.Id, second.Version.Id);
        var v1 = await _store.FindAsync(first.Version.DefinitionId, new VersionOptions(VersionSelector.Specific, 1), default);
        Assert.Equal((false, false), (v1!.IsLatest, v1.IsPublished));
    }

    [Fact]
    public async Task ImportAsync_InvalidFile_StoresNothing()
    {
        await Assert.ThrowsAsync<DefinitionValidationException>(() =>
            _publisher.ImportAsync(DefinitionFixtures.Text("import-and-publish/bad-cron-expression.json")));
        await Assert.ThrowsAsync<DefinitionFormatException>(() => _publisher.ImportAsync("{ not json"));

        Assert.Equal(0, (await _store.ListAsync(new DefinitionFilter(), default)).TotalCount);
    }

    [Fact]
    public async Task RetractAsync_Published_UnpublishesAndKeepsLatest()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);

        var retracted = await _publisher.RetractAsync("wf");

        Assert.Equal((true, false), (retracted.IsLatest, retracted.IsPublished));
        Assert.Null(await _store.FindAsync("wf", VersionOptions.Published, default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _publisher.RetractAsync("wf"));
        await Assert.ThrowsAsync<DefinitionNotFoundException>(() => _publisher.RetractAsync("nope"));
    }

    [Fact]
    public async Task DeleteAsync_RemovesEveryVersion()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);
        await _publisher.SaveAsync(Model("wf", "B"), publish: false);

        Assert.Equal(2, await _publisher.DeleteAsync("wf"));
        Assert.Empty(await AllVersions("wf"));
        await Assert.ThrowsAsync<DefinitionNotFoundException>(() => _publisher.PublishAsync("wf"));
    }

    [Fact]
    public async Task SaveAsync_ConcurrentEditsOfAPublishedVersion_MakeOneDraft()
    {
        await _publisher.SaveAsync(Model("wf", "A"), publish: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => _publisher.SaveAsync(Model("wf", $"Edit {i}"), publish: false))));

        Assert.Single(results, r => r.Change == DefinitionChange.NewVersion);
        Assert.Equal(19, results.Count(r => r.Change == DefinitionChange.Overwritten));
        var all = await AllVersions("wf");
        Assert.Equal([(1, false, true), (2, true, false)], all.OrderBy(v => v.Version).Select(v => (v.Version, v.IsLatest, v.IsPublished)));
    }

    private async Task<IReadOnlyList<WorkflowDefinitionVersion>> AllVersions(string definitionId) =>
        (await _store.ListAsync(new DefinitionFilter(DefinitionIds: [definitionId]), default)).Items;

    private static JsonObject Model(string? definitionId, string name, string extraActivity = "")
    {
        var model = JsonNode.Parse("""
            {"name":"","variables":null,
             "root":{"id":"root","type":"Elsa.Flowchart","activities":[
               {"id":"w1","name":"WriteLine1","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"Hi"}}}],
             "connections":[]}}
            """)!.AsObject();
        model["name"] = name;
        if (definitionId is not null) model["definitionId"] = definitionId;
        if (extraActivity.Length > 0) model["root"]!["activities"]!.AsArray().Add(JsonNode.Parse(extraActivity));
        return model;
    }
}
