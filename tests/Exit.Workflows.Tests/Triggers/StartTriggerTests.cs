using System.Text.Json.Nodes;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Triggers;

[Collection(QuartzCollection.Name)]
public sealed class SqliteStartTriggerTests() : StartTriggerTests(() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class PostgresStartTriggerTests() : StartTriggerTests(async () => await PostgresTestDatabase.CreateAsync());

/// <summary>
/// Published workflows with Timer, Cron, StartAt and Event triggers start instances by themselves: the real
/// registration (EF store and Quartz's persistent store on one database) with only the clock injected.
/// The clock is moved one occurrence at a time, as time passes for a running host; one jump over several
/// occurrences is what a host that was down sees, and starts one catch-up instance.
/// </summary>
public abstract class StartTriggerTests(Func<Task<ITestDatabase>> createDatabase) : IAsyncLifetime
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
    private readonly string _schedulerName = "exit-triggers-test-" + Path.GetRandomFileName();
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await createDatabase();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<TriggerTestHost> StartHostAsync(ManualTimeProvider clock) => TriggerTestHost.StartAsync(_database, clock, _schedulerName);

    internal static string Definition(string definitionId, string triggerType, string inputName, string inputValue, string text = "triggered") => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "{{definitionId}}",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "T", "type": "{{triggerType}}", "customProperties": { "canStartWorkflow": true }, "{{inputName}}": "{{inputValue}}" },
              { "id": "W", "type": "Elsa.WriteLine", "text": "{{text}}" }
            ],
            "connections": [ { "source": "T", "target": "W" } ] }
        }
        """;

    private static DateTimeOffset At(int year, int month, int day, int hour) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(new DateTime(year, month, day, hour, 0, 0), Copenhagen.GetUtcOffset(new DateTime(year, month, day, hour, 0, 0))), TimeZoneInfo.Utc);

    [DatabaseFact]
    public async Task Cron_DailyAt0600_OneInstancePerDay_NewVersionTakesOver_RetractStops()
    {
        var clock = new ManualTimeProvider(At(2026, 3, 1, 0));
        await using var host = await StartHostAsync(clock);
        await host.Publisher.ImportAsync(Definition("daily", "Elsa.Cron", "cronExpression", "0 0 6 * * *", "v1"));
        Assert.Equal(["start:default:daily:T"], await host.StartTriggerNamesAsync());

        clock.SetUtcNow(At(2026, 3, 1, 6).AddSeconds(-1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await host.InstancesOfAsync("daily"));

        for (var day = 1; day <= 3; day++)
        {
            clock.SetUtcNow(At(2026, 3, day, 6));
            await host.WaitForInstancesAsync("daily", day);
        }

        var three = await host.InstancesOfAsync("daily");
        Assert.Equal(3, three.Count);
        Assert.All(three, i => Assert.Equal(WorkflowStatus.Finished, i.Status));
        Assert.All(three, i => Assert.Equal(1, i.Version));
        Assert.Equal([At(2026, 3, 1, 6), At(2026, 3, 2, 6), At(2026, 3, 3, 6)], three.Select(i => i.CreatedAt));
        await AssertRanFromTriggerAsync(host, three[0].Id, "v1");

        await host.Publisher.ImportAsync(Definition("daily", "Elsa.Cron", "cronExpression", "0 0 6 * * *", "v2"));
        clock.SetUtcNow(At(2026, 3, 4, 6));
        var four = await host.WaitForInstancesAsync("daily", 4);
        Assert.Equal(4, four.Count);
        Assert.Equal(2, four[3].Version);
        await AssertRanFromTriggerAsync(host, four[3].Id, "v2");

        await host.Publisher.RetractAsync("daily");
        Assert.Empty(await host.StartTriggerNamesAsync());
        clock.SetUtcNow(At(2026, 3, 5, 6));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(4, (await host.InstancesOfAsync("daily")).Count);
    }

    [DatabaseFact]
    public async Task Cron_HostDownOverTwoOccurrences_StartsOneCatchUpInstanceAtStartUp()
    {
        var clock = new ManualTimeProvider(At(2026, 6, 1, 0));
        await using (var first = await StartHostAsync(clock))
            await first.Publisher.ImportAsync(Definition("daily", "Elsa.Cron", "cronExpression", "0 0 6 * * *"));

        clock.SetUtcNow(At(2026, 6, 2, 12)); // 1 and 2 June 06:00 passed while down
        await using var second = await StartHostAsync(clock);
        var caughtUp = await second.WaitForInstancesAsync("daily", 1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await second.InstancesOfAsync("daily"));
        Assert.Equal(At(2026, 6, 2, 12), caughtUp[0].CreatedAt);

        clock.SetUtcNow(At(2026, 6, 3, 6));
        await second.WaitForInstancesAsync("daily", 2);
        Assert.Equal(2, (await second.InstancesOfAsync("daily")).Count);
    }

    [DatabaseFact]
    public async Task DefinitionsFolder_ImportedAtStartUp_GetsItsTriggers()
    {
        var folder = Directory.CreateTempSubdirectory("exit-trigger-defs-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "hourly.json"), Definition("hourly", "Elsa.Cron", "cronExpression", "0 0 * * * *"));
            var clock = new ManualTimeProvider(At(2026, 9, 1, 8));
            await using var host = await TriggerTestHost.StartAsync(_database, clock, _schedulerName, folder.FullName);
            Assert.Equal(["start:default:hourly:T"], await host.StartTriggerNamesAsync());

            clock.SetUtcNow(At(2026, 9, 1, 9));
            await host.WaitForInstancesAsync("hourly", 1);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [DatabaseFact]
    public async Task Timer_P1M_StartsAnInstanceEveryCalendarMonthAtTheSameCopenhagenTime()
    {
        // Published 15 January 10:00 Copenhagen (winter time); April is summer time, still 10:00 local.
        var clock = new ManualTimeProvider(At(2026, 1, 15, 10));
        await using var host = await StartHostAsync(clock);
        await host.Publisher.ImportAsync(Definition("monthly", "Elsa.Timer", "interval", "P1M"));

        var expected = new[] { At(2026, 2, 15, 10), At(2026, 3, 15, 10), At(2026, 4, 15, 10) };
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 8, 0, 0, TimeSpan.Zero), expected[2]);
        for (var i = 0; i < expected.Length; i++)
        {
            clock.SetUtcNow(expected[i].AddSeconds(-1));
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            Assert.Equal(i, (await host.InstancesOfAsync("monthly")).Count);
            clock.SetUtcNow(expected[i]);
            var instances = await host.WaitForInstancesAsync("monthly", i + 1);
            Assert.Equal(expected[i], instances[i].CreatedAt);
        }
    }

    [DatabaseFact]
    public async Task StartAt_StartsOneInstanceOnce_AndDeleteRemovesTriggers()
    {
        var clock = new ManualTimeProvider(At(2026, 5, 1, 0));
        await using var host = await StartHostAsync(clock);
        await host.Publisher.ImportAsync(Definition("once", "Elsa.StartAt", "dateTime", "2026-05-02T08:00:00+02:00"));
        await host.Publisher.ImportAsync(Definition("gone", "Elsa.Cron", "cronExpression", "0 0 6 * * *"));
        Assert.Equal(["start:default:gone:T", "start:default:once:T"], await host.StartTriggerNamesAsync());
        await host.Publisher.DeleteAsync("gone");
        Assert.Equal(["start:default:once:T"], await host.StartTriggerNamesAsync());

        clock.SetUtcNow(new DateTimeOffset(2026, 5, 2, 6, 0, 0, TimeSpan.Zero));
        await host.WaitForInstancesAsync("once", 1);
        clock.SetUtcNow(At(2026, 5, 10, 12));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await host.InstancesOfAsync("once"));
        Assert.Empty(await host.InstancesOfAsync("gone"));
        Assert.Empty(await host.StartTriggerNamesAsync());
    }

    [DatabaseFact]
    public async Task Event_PublishedWithoutInstance_StartsEachTriggeredWorkflowWithTheCorrelationId()
    {
        var clock = new ManualTimeProvider(At(2026, 5, 1, 9));
        await using var host = await StartHostAsync(clock);
        await host.Publisher.ImportAsync(Definition("on-order", "Elsa.Event", "eventName", "order-placed"));
        await host.Publisher.ImportAsync(Definition("on-other", "Elsa.Event", "eventName", "something-else"));
        await host.Publisher.SaveAsync(JsonNode.Parse(Definition("draft-only", "Elsa.Event", "eventName", "order-placed"))!.AsObject(), publish: false);
        Assert.Empty(await host.StartTriggerNamesAsync());

        var results = await host.PublishEventAsync("order-placed", "case-17", new JsonObject { ["orderId"] = 17 });

        var started = Assert.Single(results);
        Assert.Equal(WorkflowStatus.Finished, started.Status);
        var instance = Assert.Single(await host.InstancesOfAsync("on-order"));
        Assert.Equal("case-17", instance.CorrelationId);
        Assert.Empty(await host.InstancesOfAsync("on-other"));
        Assert.Empty(await host.InstancesOfAsync("draft-only"));
        var journal = (await host.Instances.GetJournalAsync(instance.Id, 0, 100, CancellationToken.None)).Items;
        Assert.Contains(journal, r => r.ActivityId == "T" && r.EventName == JournalEvents.Completed);
        Assert.Contains(journal, r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed);
    }

    private static async Task AssertRanFromTriggerAsync(TriggerTestHost host, string instanceId, string text)
    {
        var journal = (await host.Instances.GetJournalAsync(instanceId, 0, 100, CancellationToken.None)).Items;
        Assert.Contains(journal, r => r.ActivityId == "T" && r.EventName == JournalEvents.Completed);
        Assert.DoesNotContain(journal, r => r.ActivityId == "T" && r.EventName == JournalEvents.Suspended);
        var line = Assert.Single(journal, r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed);
        Assert.Equal(text, (string?)line.ActivityState?["Text"]);
    }
}
