using System.Text.Json.Nodes;
using Exit.Testing;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Alterations;

[Collection(QuartzCollection.Name)]
public sealed class SqliteScheduleAndCancelActivityRuntimeTests() : ScheduleAndCancelActivityRuntimeTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class PostgresScheduleAndCancelActivityRuntimeTests() : ScheduleAndCancelActivityRuntimeTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// ScheduleActivity and CancelActivity on the runtime itself (<see cref="WorkflowAlterationRunner"/>, the EF store, Quartz and
/// the injected clock, as the Host registers them): the body's problems are named by path before anything runs; an activity
/// the instance cannot schedule or cancel is refused by name and nothing is stored; an applied alteration is one commit
/// (the instance's concurrency version moves by one) with one <c>Altered</c> journal entry saying what and who, and what it
/// starts or stops really runs or stops: a scheduled delay fires on the clock, a cancelled wait no longer answers its event.
/// </summary>
public abstract class ScheduleAndCancelActivityRuntimeTests(Func<Task<ITestDatabase>> createDatabase) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 2, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _schedulerName = "exit-alter-test-" + Path.GetRandomFileName();
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await createDatabase();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Start → wait for event "paid" → W1; "remind" (a one-day delay) → W2 stands apart, reached only by an alteration.</summary>
    private const string Definition = """
        {
          "definitionId": "alter-runtime", "name": "alter-runtime",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "Start1", "type": "Elsa.Start" },
              { "id": "wait", "type": "Elsa.Event", "eventName": "paid" },
              { "id": "W1", "type": "Elsa.WriteLine", "text": "betalt" },
              { "id": "remind", "type": "Elsa.Delay", "timeSpan": "P1D" },
              { "id": "W2", "type": "Elsa.WriteLine", "text": "påmindet" }
            ],
            "connections": [ { "source": "Start1", "target": "wait" }, { "source": "wait", "target": "W1" }, { "source": "remind", "target": "W2" } ] }
        }
        """;

    [Fact]
    public void Body_MissingTheActivity_IsNamedByPath()
    {
        var problems = new List<AlterationInputProblem>();
        var read = AlterationJson.ReadAlterations(JsonNode.Parse("""
            [ { "type": "ScheduleActivity", "activityId": "remind" }, { "type": "ScheduleActivity" }, { "type": "CancelActivity", "activityId": " " } ]
            """), "alterations", problems);
        Assert.Equal(["alterations[1].activityId", "alterations[2].activityId"], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Equal("Required", p.Code));
        Assert.Single(read);
    }

    [DatabaseFact]
    public async Task ScheduleActivity_RefusedByNameOrAppliedInOneCommit_AndTheScheduledDelayFiresOnTheClock()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await TriggerTestHost.StartAsync(_database, clock, _schedulerName);
        await host.Publisher.ImportAsync(Definition);
        var id = (await host.StartWorkflowAsync("alter-runtime")).InstanceId;
        var before = await StateAsync(host, id);

        var refused = await ApplyAsync(host, id, new ScheduleActivityAlteration("no-such-step"));
        Assert.False(refused.Succeeded);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((AlterationProblem.AlterationRefused, "no-such-step"), (problem.Code, problem.ActivityId));
        Assert.Equal(before, await StateAsync(host, id));

        clock.SetUtcNow(T0.AddHours(2));
        var applied = await ApplyAsync(host, id, new ScheduleActivityAlteration("remind"));
        Assert.True(applied.Succeeded, string.Join("; ", applied.Problems.Select(p => p.Message)));
        var after = await StateAsync(host, id);
        Assert.Equal(before.ConcurrencyVersion + 1, after.ConcurrencyVersion);
        var altered = Assert.Single(after.Altered);
        Assert.Equal("coordinator-7", (string?)altered.Payload!["alteredBy"]);
        Assert.Equal(["ScheduleActivity"], altered.Payload["alterations"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("Activity 'remind' scheduled.", altered.Message);
        // The delay counts from the alteration: due one day after it, and it fires then (not before).
        var timer = Assert.Single(await host.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: id, TimersOnly: true), CancellationToken.None));
        Assert.Equal(T0.AddHours(2).AddDays(1), timer.DueAt);
        clock.SetUtcNow(T0.AddHours(2).AddDays(1));
        await WaitForAsync(host, id, j => j.Any(r => r.ActivityId == "W2" && r.EventName == JournalEvents.Completed));
        // The instance still waits for its event, as before the alteration.
        Assert.Single(await host.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: id), CancellationToken.None));
    }

    [DatabaseFact]
    public async Task CancelActivity_RefusedByNameOrAppliedInOneCommit_AndTheCancelledWaitNoLongerAnswers()
    {
        var clock = new ManualTimeProvider(T0);
        await using var host = await TriggerTestHost.StartAsync(_database, clock, _schedulerName);
        await host.Publisher.ImportAsync(Definition);
        var id = (await host.StartWorkflowAsync("alter-runtime")).InstanceId;
        var before = await StateAsync(host, id);
        Assert.Equal(1, before.Bookmarks);

        var refused = await ApplyAsync(host, id, new CancelActivityAlteration("remind"));
        Assert.False(refused.Succeeded);
        Assert.Equal("remind", Assert.Single(refused.Problems).ActivityId);
        var unknownInstance = await ApplyAsync(host, id, new CancelActivityAlteration(null, "no-such-activity-instance"));
        Assert.False(unknownInstance.Succeeded);
        Assert.Equal(before, await StateAsync(host, id));

        var applied = await ApplyAsync(host, id, new CancelActivityAlteration("wait"));
        Assert.True(applied.Succeeded, string.Join("; ", applied.Problems.Select(p => p.Message)));
        var after = await StateAsync(host, id);
        Assert.Equal(before.ConcurrencyVersion + 1, after.ConcurrencyVersion);
        Assert.Equal(0, after.Bookmarks);
        var altered = Assert.Single(after.Altered);
        Assert.Equal("coordinator-7", (string?)altered.Payload!["alteredBy"]);
        Assert.Equal(["CancelActivity"], altered.Payload["alterations"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("Activity 'wait' cancelled.", altered.Message);
        var journal = (await host.Instances.GetJournalAsync(id, 0, 1000, CancellationToken.None)).Items;
        Assert.Contains(journal, r => r.ActivityId == "wait" && r.EventName == JournalEvents.Canceled);

        // The event no longer reaches the instance: nothing after the cancelled wait runs.
        await host.PublishEventAsync("paid", null, null);
        Assert.DoesNotContain((await host.Instances.GetJournalAsync(id, 0, 1000, CancellationToken.None)).Items, r => r.ActivityId == "W1");
    }

    private sealed record State(long ConcurrencyVersion, int Bookmarks, IReadOnlyList<JournalRecord> Altered, int JournalLength)
    {
        public bool Equals(State? other) => other is not null && (ConcurrencyVersion, Bookmarks, Altered.Count, JournalLength)
            == (other.ConcurrencyVersion, other.Bookmarks, other.Altered.Count, other.JournalLength);

        public override int GetHashCode() => ConcurrencyVersion.GetHashCode();
    }

    private static async Task<State> StateAsync(TriggerTestHost host, string id)
    {
        var instance = (await host.Instances.FindAsync(id, CancellationToken.None))!;
        var bookmarks = await host.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: id), CancellationToken.None);
        var journal = (await host.Instances.GetJournalAsync(id, 0, 1000, CancellationToken.None)).Items;
        return new State(instance.ConcurrencyVersion, bookmarks.Count, journal.Where(r => r.EventName == "Altered").ToList(), journal.Count);
    }

    private static async Task<AlterationOutcome> ApplyAsync(TriggerTestHost host, string id, Alteration alteration)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowAlterationRunner>().ApplyAsync(id, [alteration], "coordinator-7", CancellationToken.None);
    }

    private static async Task WaitForAsync(TriggerTestHost host, string id, Func<IReadOnlyList<JournalRecord>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done((await host.Instances.GetJournalAsync(id, 0, 1000, CancellationToken.None)).Items))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"instance {id} did not get there");
            await Task.Delay(50);
        }
    }
}
