using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Xunit;

namespace Exit.Workflows.Tests.Cluster;

/// <summary>
/// Several hosts on one PostgreSQL database split the due-timer sweep by claiming pages: two hosts reading at the same
/// moment get different timers, a claim keeps the others off until its lease ends (a dead host), a released claim
/// (a stopping host) frees the timers at once; and a storm swept by two hosts resumes every timer exactly once.
/// </summary>
[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class TimerClaimTests : IAsyncLifetime
{
    private const string DelayFlow = """
        {
          "definitionId": "nap", "name": "nap",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "wait", "type": "Elsa.Delay", "timeSpan": "01:00:00" },
              { "id": "after", "type": "Elsa.WriteLine", "text": "woke" }
            ],
            "connections": [ { "source": "wait", "target": "after" } ] }
        }
        """;

    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [DatabaseFact]
    public async Task TwoHostsReadingAtOnce_ClaimDifferentTimers_LeaseKeepsOthersOff_ReleaseFreesAtOnce()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await using var a = await TriggerTestHost.StartAsync(_database, clock, "exit-claims-a-" + Path.GetRandomFileName());
        await using var b = await TriggerTestHost.StartAsync(_database, clock, "exit-claims-b-" + Path.GetRandomFileName());
        await a.Publisher.ImportAsync(DelayFlow);
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) => await a.StartWorkflowAsync("nap"));

        // Read as a sweep would, an hour and a bit later, without resuming (the clock is not moved: no wake-up fires).
        var now = clock.GetUtcNow() + TimeSpan.FromHours(1.5);
        var pages = await Task.WhenAll(
            a.Instances.ReadDueTimersAsync(now, null, 100, CancellationToken.None),
            b.Instances.ReadDueTimersAsync(now, null, 100, CancellationToken.None));
        var first = Ids(pages[0]);
        var second = Ids(pages[1]);
        Assert.Equal(100, first.Count);
        Assert.Equal(100, second.Count);
        Assert.Empty(first.Intersect(second));

        // What is left for anyone: the 100 nobody holds. Held ones are not read again, not even by their holder.
        var rest = Ids(await b.Instances.ReadDueTimersAsync(now, null, 500, CancellationToken.None));
        Assert.Equal(100, rest.Count);
        Assert.Empty(rest.Intersect(first.Concat(second)));
        Assert.Empty(await a.Instances.ReadDueTimersAsync(now, null, 500, CancellationToken.None) is { Due: var none } ? none : []);

        // Host A stops and releases its claims: host B can take A's timers at once.
        await a.Instances.ReleaseTimerClaimsAsync(CancellationToken.None);
        var released = Ids(await b.Instances.ReadDueTimersAsync(now, null, 500, CancellationToken.None));
        Assert.Equal(first.Order(), released.Order());

        // Host B "dies" holding 300 claims: nobody takes them before the lease ends, anyone after it; the wake-up is
        // armed for that moment.
        Assert.Empty((await a.Instances.ReadDueTimersAsync(now + TimeSpan.FromSeconds(29), null, 500, CancellationToken.None)).Due);
        var leaseEnd = now + new Exit.Workflows.Timers.SchedulingOptions().TimerClaimLease;
        Assert.Equal(leaseEnd, await a.Instances.FindNextTimerDueAsync(now, CancellationToken.None));
        var takenOver = Ids(await a.Instances.ReadDueTimersAsync(leaseEnd, null, 500, CancellationToken.None));
        Assert.Equal(300, takenOver.Count);
    }

    [DatabaseFact]
    public async Task Storm_SweptByTwoHosts_ResumesEveryTimerExactlyOnce()
    {
        const int Timers = 1500; // three pages: the first host to wake invites the other
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await using var a = await TriggerTestHost.StartAsync(_database, clock, "exit-storm-a-" + Path.GetRandomFileName());
        await using var b = await TriggerTestHost.StartAsync(_database, clock, "exit-storm-b-" + Path.GetRandomFileName());
        await a.Publisher.ImportAsync(DelayFlow);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, Timers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            ids.Add((await (i % 2 == 0 ? a : b).StartWorkflowAsync("nap")).InstanceId));

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var finished = new InstanceFilter(DefinitionId: "nap", Status: Exit.Workflows.State.WorkflowStatus.Finished, PageSize: 1);
        var claimers = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = new Npgsql.NpgsqlConnection(_database.Options.ConnectionString))
        {
            await connection.OpenAsync();
            while ((await a.Instances.ListAsync(finished, CancellationToken.None)).TotalCount < Timers)
            {
                Assert.True(DateTime.UtcNow < deadline, "the storm was not swept in time");
                await using var cmd = new Npgsql.NpgsqlCommand("SELECT DISTINCT claimed_by FROM wf_bookmarks WHERE claimed_by IS NOT NULL", connection);
                await using (var reader = await cmd.ExecuteReaderAsync())
                    while (await reader.ReadAsync()) claimers.Add(reader.GetString(0));
                await Task.Delay(10);
            }
        }
        Assert.True(claimers.Count == 2, "both hosts should have swept part of the storm; claims seen from: " + string.Join(", ", claimers));
        foreach (var id in ids)
        {
            var journal = await a.Instances.GetJournalAsync(id, 0, 100, CancellationToken.None);
            Assert.Single(journal.Items, r => r.ActivityId == "after" && r.EventName == "Completed");
        }
        Assert.Empty((await a.Instances.ReadDueTimersAsync(clock.GetUtcNow() + TimeSpan.FromDays(1), null, 10, CancellationToken.None)).Due);
    }

    private static List<string> Ids(DueTimerPage page) => page.Due.Select(d => d.Id).ToList();
}
