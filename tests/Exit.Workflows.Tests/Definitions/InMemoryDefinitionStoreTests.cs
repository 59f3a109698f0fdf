using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class InMemoryDefinitionStoreTests
{
    private readonly InMemoryDefinitionStore _store = new();

    [Fact]
    public async Task FindAsync_VersionOptions_SelectTheRightVersion()
    {
        await _store.SaveAsync([Version("a", 1, latest: false, published: true), Version("a", 2, latest: true, published: false)], default);

        Assert.Equal(2, (await _store.FindAsync("a", VersionOptions.Latest, default))!.Version);
        Assert.Equal(1, (await _store.FindAsync("a", VersionOptions.Published, default))!.Version);
        Assert.Equal(2, (await _store.FindAsync("a", VersionOptions.LatestOrPublished, default))!.Version);
        Assert.Null(await _store.FindAsync("a", new VersionOptions(VersionSelector.LatestAndPublished), default));
        Assert.Equal(2, (await _store.FindAsync("a", new VersionOptions(VersionSelector.Draft), default))!.Version);
        Assert.Equal(1, (await _store.FindAsync("a", new VersionOptions(VersionSelector.Specific, 1), default))!.Version);
        Assert.Null(await _store.FindAsync("b", VersionOptions.Latest, default));
    }

    [Fact]
    public async Task SaveAsync_TwoLatestVersions_IsRefusedAndNothingChanges()
    {
        await _store.SaveAsync([Version("a", 1, latest: true, published: true)], default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.SaveAsync([Version("a", 2, latest: true, published: false)], default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.SaveAsync([Version("a", 2, latest: false, published: true)], default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.SaveAsync([Version("a", 1, latest: false, published: false, id: "other")], default));

        Assert.Equal(1, (await _store.ListAsync(new DefinitionFilter(), default)).TotalCount);
    }

    [Fact]
    public async Task ListAsync_FiltersSearchesAndPages()
    {
        await _store.SaveAsync([Version("a", 1, latest: true, published: true, name: "Alpha"), Version("b", 1, latest: true, published: false, name: "Beta"),
            Version("c", 1, latest: true, published: true, name: "Gamma")], default);

        var published = await _store.ListAsync(new DefinitionFilter(VersionOptions.Published), default);
        var search = await _store.ListAsync(new DefinitionFilter(SearchTerm: "et"), default);
        var page = await _store.ListAsync(new DefinitionFilter(Page: 1, PageSize: 2), default);

        Assert.Equal(["Alpha", "Gamma"], published.Items.Select(v => v.Name));
        Assert.Equal("Beta", Assert.Single(search.Items).Name);
        Assert.Equal((3, "Gamma"), (page.TotalCount, Assert.Single(page.Items).Name));
    }

    [Fact]
    public async Task FindAsync_ReturnsACopy()
    {
        await _store.SaveAsync([Version("a", 1, latest: true, published: false)], default);

        var found = await _store.FindAsync("a", VersionOptions.Latest, default);
        found!.Json["name"] = "changed";

        Assert.Equal("a", (string?)(await _store.FindAsync("a", VersionOptions.Latest, default))!.Json["name"]);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentWriters_KeepEveryDefinition()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => _store.SaveAsync([Version($"d{i}", 1, latest: true, published: true)], default))));

        Assert.Equal(50, (await _store.ListAsync(new DefinitionFilter(PageSize: 100), default)).TotalCount);
    }

    private static WorkflowDefinitionVersion Version(string definitionId, int version, bool latest, bool published, string? id = null, string? name = null)
    {
        var parsed = DefinitionJsonReader.Parse($$"""{"definitionId":"{{definitionId}}","name":"{{definitionId}}"}""");
        return new WorkflowDefinitionVersion
        {
            Id = id ?? $"{definitionId}-v{version}",
            DefinitionId = definitionId,
            Version = version,
            Name = name ?? definitionId,
            IsLatest = latest,
            IsPublished = published,
            Json = (JsonObject)parsed.Document.DeepClone(),
            Graph = parsed.Graph,
        };
    }
}
