using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.State;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tests.Execution;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Xunit;

namespace Exit.Workflows.Tests.Conformance;

/// <summary>
/// The Elsa conformance cases of Fixtures/manifest.json: import, publish, run one instance to the end with no
/// input, resuming every bookmark as Elsa's test harness does (timers by a manual clock), then compare WriteLine lines, final status and join behaviour.
/// </summary>
public sealed class ConformanceTests
{
    private static string FixturesRoot => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static IEnumerable<object[]> Cases()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesRoot, "manifest.json")))!;
        return manifest["cases"]!.AsArray().Select(c => new object[] { c!["file"]!.GetValue<string>() });
    }

    private static JsonObject CaseOf(string file)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesRoot, "manifest.json")))!;
        return manifest["cases"]!.AsArray().Single(c => c!["file"]!.GetValue<string>() == file)!.AsObject();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Fixture_RunsAsElsaDoes(string file) => RunCaseAsync(file, store: null);

    /// <summary>The same cases committed through the durable store on SQLite (state, bookmarks and journal round-trip).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fixture_RunsAsElsaDoes_OnSqliteStore(string file)
    {
        await using var persistence = await PersistenceHarness.CreateAsync(SqliteTestDatabase.Create());
        await RunCaseAsync(file, persistence.Instances);
    }

    internal static async Task RunCaseAsync(string file, IWorkflowInstanceStore? store)
    {
        var expected = CaseOf(file);
        var json = await File.ReadAllTextAsync(Path.Combine(FixturesRoot, file));

        await using var harness = new WorkflowHarness(store: store);
        if (expected["publish"] is { } publish)
        {
            var problems = harness.Validator.Validate(DefinitionJsonReader.Parse(json));
            if (publish.GetValue<string>() == "succeeds") Assert.Empty(problems);
            else Assert.Equal(expected["validationErrors"]?.GetValue<int>() ?? 1, problems.Count);
            return;
        }

        var definition = await harness.PublishAsync(json);
        var started = await harness.StartAsync(definition.DefinitionId);
        var instance = await harness.RunToEndAsync(started.InstanceId);

        if (expected["lines"] is JsonArray lines)
            Assert.Equal(lines.Select(l => l!.GetValue<string>()).ToList(), await harness.LinesAsync(instance.Id));
        if (expected["status"] is { } status)
            Assert.Equal(Enum.Parse<WorkflowStatus>(status.GetValue<string>()), instance.Status);
        if (expected["joinCompletesOnce"] is { } join)
        {
            var completed = (await harness.JournalAsync(instance.Id))
                .Count(r => r.ActivityId == join.GetValue<string>() && r.EventName == JournalEvents.Completed);
            Assert.Equal(1, completed);
        }
    }
}

/// <summary>
/// All 21 cases committed through the durable store on a real PostgreSQL server, each on a fresh database (the
/// harness's ids are deterministic per run). Failures are collected so one run names every broken case.
/// </summary>
[RequiresPostgres]
public sealed class ConformanceOnPostgresTests
{
    [DatabaseFact]
    public async Task EveryFixture_RunsAsElsaDoes_OnPostgresStore()
    {
        var failures = new List<string>();
        foreach (var file in ConformanceTests.Cases().Select(c => (string)c[0]))
        {
            try
            {
                await using var persistence = await PersistenceHarness.CreateAsync(await PostgresTestDatabase.CreateAsync());
                await ConformanceTests.RunCaseAsync(file, persistence.Instances);
            }
            catch (Exception e)
            {
                failures.Add($"{file}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
