using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Exit.Workflows.Timers.Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Timers;

[Collection(QuartzCollection.Name)]
public sealed class SqliteTimerWakeUpTests() : TimerWakeUpTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class PostgresTimerWakeUpTests() : TimerWakeUpTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// Timer bookmarks keep their due times in the instance store; Quartz holds one wake-up for all of them, at the earliest.
/// The real registration (EF store and Quartz's persistent store on one database) with only the clock injected.
/// </summary>
public abstract class TimerWakeUpTests(Func<Task<ITestDatabase>> createDatabase) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _schedulerName = "exit-wakeup-test-" + Path.GetRandomFileName();
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await createDatabase();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static string Waiting(string definitionId, string timeSpan) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "S", "type": "Elsa.Start" },
              { "id": "D", "type": "Elsa.Delay", "timeSpan": "{{timeSpan}}" },
              { "id": "W", "type": "Elsa.WriteLine", "text": "done" }
            ],
            "connections": [ { "source": "S", "target": "D" }, { "source": "D", "target": "W" } ] }
        }
        """;

    [DatabaseFact]
    public async Task ManyTimers_OneWakeUp_AnEarlierTimerMovesItForward_AndNothingIsLeftAfterwards()
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await TriggerTestHost.StartAsync(_database, clock, _schedulerName);
        await host.Publisher.ImportAsync(Waiting("later", "02:00:00"));
        await host.Publisher.ImportAsync(Waiting("sooner", "01:00:00"));
        var later = new List<string>();
        for (var i = 0; i < 40; i++) later.Add((await host.StartWorkflowAsync("later")).InstanceId);
        var sooner = (await host.StartWorkflowAsync("sooner")).InstanceId;

        // 41 timers, one Quartz trigger.
        Assert.Equal(["wake-up"], await host.TriggerNamesAsync(TimerKeys.Group));

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => await StatusAsync(host, sooner) == WorkflowStatus.Finished, "the one-hour timer fires");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        foreach (var id in later) Assert.Equal(WorkflowStatus.Running, await StatusAsync(host, id));
        // The sweep armed the wake-up again for the two-hour timers.
        await WaitUntilAsync(async () => (await host.TriggerNamesAsync(TimerKeys.Group)).SequenceEqual(["wake-up"]), "the wake-up is armed for the rest");

        clock.Advance(TimeSpan.FromHours(1));
        foreach (var id in later)
            await WaitUntilAsync(async () => await StatusAsync(host, id) == WorkflowStatus.Finished, "every two-hour timer fires");
        foreach (var id in later.Append(sooner))
        {
            var journal = (await host.Instances.GetJournalAsync(id, 0, 100, CancellationToken.None)).Items;
            Assert.Single(journal, r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed);
        }
        await WaitUntilAsync(async () => (await host.TriggerNamesAsync(TimerKeys.Group)).Count == 0, "no Quartz trigger is left");
    }

    [DatabaseFact]
    public async Task TimersDueWhileDown_AreResumedAtStartUp_AndTheNextOneIsStillWokenUp()
    {
        var clock = new ManualTimeProvider(Start);
        var overdue = new List<string>();
        string tomorrow;
        await using (var first = await TriggerTestHost.StartAsync(_database, clock, _schedulerName))
        {
            await first.Publisher.ImportAsync(Waiting("hour", "01:00:00"));
            await first.Publisher.ImportAsync(Waiting("day", "P1D"));
            for (var i = 0; i < 20; i++) overdue.Add((await first.StartWorkflowAsync("hour")).InstanceId);
            tomorrow = (await first.StartWorkflowAsync("day")).InstanceId;
        }

        // Down for three hours; the hour timers are overdue at start-up, the day timer is not due yet.
        clock.Advance(TimeSpan.FromHours(3));
        await using var second = await TriggerTestHost.StartAsync(_database, clock, _schedulerName);
        foreach (var id in overdue)
            await WaitUntilAsync(async () => await StatusAsync(second, id) == WorkflowStatus.Finished, "every overdue timer is resumed");
        Assert.Equal(WorkflowStatus.Running, await StatusAsync(second, tomorrow));

        clock.Advance(TimeSpan.FromDays(1));
        await WaitUntilAsync(async () => await StatusAsync(second, tomorrow) == WorkflowStatus.Finished, "the day timer fires");
    }

    private static async Task<WorkflowStatus?> StatusAsync(TriggerTestHost host, string instanceId) =>
        (await host.Instances.FindAsync(instanceId, CancellationToken.None))?.Status;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(25);
        }
    }
}
