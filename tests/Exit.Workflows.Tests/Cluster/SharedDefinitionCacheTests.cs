using Exit.Testing;
using Exit.Workflows.Execution;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Xunit;

namespace Exit.Workflows.Tests.Cluster;

/// <summary>
/// Two hosts (two complete runtimes, as the Host registers them) on one PostgreSQL database: what host A publishes,
/// retracts or deletes, host B's very next start sees, with no waiting (each host caches parsed definitions).
/// </summary>
[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class SharedDefinitionCacheTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static string Definition(string text) => $$"""
        {
          "definitionId": "greeting", "name": "greeting",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [ { "id": "W", "type": "Elsa.WriteLine", "text": "{{text}}" } ],
            "connections": [] }
        }
        """;

    [DatabaseFact]
    public async Task PublishRetractDelete_OnHostA_AreSeenByHostBsNextStart()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await TriggerTestHost.StartAsync(_database, clock, "exit-cache-a-" + Path.GetRandomFileName());
        await using var b = await TriggerTestHost.StartAsync(_database, clock, "exit-cache-b-" + Path.GetRandomFileName());

        await a.Publisher.ImportAsync(Definition("first"));
        Assert.Equal(1, await VersionStartedOnAsync(b)); // B now holds version 1 in its cache

        for (var version = 2; version <= 4; version++)
        {
            await a.Publisher.ImportAsync(Definition($"edition {version}"));
            Assert.Equal(version, await VersionStartedOnAsync(b)); // at once, not "within 2 s"
        }

        await a.Publisher.RetractAsync("greeting");
        await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() => b.StartWorkflowAsync("greeting"));

        await a.Publisher.PublishAsync("greeting");
        Assert.Equal(4, await VersionStartedOnAsync(b));

        await a.Publisher.DeleteAsync("greeting");
        await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() => b.StartWorkflowAsync("greeting"));
    }

    private static async Task<int> VersionStartedOnAsync(TriggerTestHost host)
    {
        var run = await host.StartWorkflowAsync("greeting");
        var instance = await host.Instances.FindAsync(run.InstanceId, CancellationToken.None);
        return instance!.DefinitionVersion;
    }
}
