using Exit.Workflows.Definitions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionFolderImporterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "exit-defs-" + Path.GetRandomFileName());
    private readonly InMemoryDefinitionStore _store = new();
    private readonly ListLogger _logger = new();
    private readonly DefinitionFolderImporter _importer;

    public DefinitionFolderImporterTests()
    {
        Directory.CreateDirectory(_folder);
        var registry = TestRegistry.Create();
        var publisher = new DefinitionPublisher(_store, new DefinitionValidator(registry), registry, new SequentialIds(), new ManualClock(DateTimeOffset.UnixEpoch));
        _importer = new DefinitionFolderImporter(publisher, _logger);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ImportAsync_MixedFolder_ReportsEachFileAndNeverThrows()
    {
        Copy("import-and-publish/timer-workflow.json", "a-timer.json");
        Copy("import-and-publish/bad-cron-expression.json", "b-bad-cron.json");
        File.WriteAllText(Path.Combine(_folder, "c-broken.json"), "{ \"definitionId\": ");
        Copy("import-and-execute/implicit-loop.json", "d-loop.json");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "ignored");

        var results = await _importer.ImportAsync(_folder);

        Assert.Equal(["a-timer.json", "b-bad-cron.json", "c-broken.json", "d-loop.json"], results.Select(r => r.FileName));
        Assert.Equal(
            [FolderImportStatus.Imported, FolderImportStatus.Failed, FolderImportStatus.Failed, FolderImportStatus.Imported],
            results.Select(r => r.Status));
        Assert.Equal(1, results[0].Version);
        var badCron = results[1];
        Assert.Equal("311cedd544cfe691", badCron.DefinitionId);
        Assert.Equal(DefinitionProblemCodes.InvalidCron, Assert.Single(badCron.Problems).Code);
        Assert.Contains("line", results[2].Error);

        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning && Equals(e.State["FileName"], "b-bad-cron.json"));
        Assert.Equal("311cedd544cfe691", warning.State["DefinitionId"]);
        Assert.Equal(1, warning.State["ProblemCount"]);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && Equals(e.State["FileName"], "c-broken.json"));
    }

    [Fact]
    public async Task ImportAsync_SecondRun_IsUnchanged()
    {
        Copy("workflow-completion/fork.json", "fork.json");
        await _importer.ImportAsync(_folder);

        var second = await _importer.ImportAsync(_folder);

        var result = Assert.Single(second);
        Assert.Equal((FolderImportStatus.Unchanged, 1), (result.Status, result.Version));
    }

    [Fact]
    public async Task ImportAsync_MissingFolder_ReturnsNothing()
    {
        Assert.Empty(await _importer.ImportAsync(Path.Combine(_folder, "nope")));
    }

    private void Copy(string fixture, string name) =>
        File.WriteAllBytes(Path.Combine(_folder, name), DefinitionFixtures.Bytes(fixture));

    private sealed class ListLogger : ILogger<DefinitionFolderImporter>
    {
        public List<(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            lock (Entries) Entries.Add((logLevel, formatter(state, exception), values.ToDictionary(p => p.Key, p => p.Value)));
        }
    }
}
