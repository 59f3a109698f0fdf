using System.Collections.Concurrent;
using Exit.Testing;
using Exit.Workflows.Execution;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Timers.Quartz;
using Exit.Workflows.Tests.Triggers;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Xunit;

namespace Exit.Workflows.Tests.Cluster;

/// <summary>
/// Two hosts of one Quartz cluster on one PostgreSQL database (the whole runtime each, one manual clock): a commit whose
/// new timer is at or after the pending wake-up does not call Quartz (its own transaction found and held the wake-up), an
/// earlier one still arms it, and a commit on one host while the other host's wake-up has fired and its sweep is about to
/// re-arm it later (from a read that did not see the commit) still gets its timer resumed on time.
/// </summary>
[RequiresPostgres]
[Collection(QuartzCollection.Name)]
public sealed class ClusterWakeUpProbeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [DatabaseFact]
    public async Task ALaterTimerSkipsQuartz_AnEarlierOneArms_AndAFireWithALaterReArmOnAnotherHostDoesNotDelayANewTimer()
    {
        var clock = new ManualTimeProvider(Start);
        var scheduler = "exit-probe-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        var a = await StartHostAsync(clock, scheduler);
        await using var stopA = new StopWithClockRunning(a.Host, clock);
        var hostA = a.Host;
        var b = await StartHostAsync(clock, scheduler);
        await using var stopB = new StopWithClockRunning(b.Host, clock);
        var hostB = b.Host;
        foreach (var hours in new[] { 1, 2, 5 }) await hostA.Publisher.ImportAsync(DelayFlow(hours));

        // (a) Host A's first timer (2 h) arms the wake-up; its second (5 h) finds it pending in its own commit: no Quartz call.
        var twoHours = await hostA.StartWorkflowAsync("nap2h");
        Assert.Contains(Start.AddHours(2), a.WakeUp.Calls);
        Assert.Equal(("WAITING", Start.AddHours(2)), await WakeUpRowAsync(scheduler));
        var fiveHours = await hostA.StartWorkflowAsync("nap5h");
        Assert.DoesNotContain(Start.AddHours(5), a.WakeUp.Calls);
        Assert.DoesNotContain(Start.AddHours(5), b.WakeUp.Calls);

        // (b) Host B's timer earlier than the pending wake-up arms it through Quartz and moves it.
        var oneHour = await hostB.StartWorkflowAsync("nap1h");
        Assert.Contains(Start.AddHours(1), b.WakeUp.Calls);
        Assert.Equal(("WAITING", Start.AddHours(1)), await WakeUpRowAsync(scheduler));

        // (c) The 2 h timer goes away (host A still remembers that it armed 2 h). Only host B fires wake-ups from here on.
        await using (var scope = hostA.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().CancelAsync(twoHours.InstanceId, CancellationToken.None);
        await (await hostA.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Standby();
        b.WakeUp.Close();
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        // B fired the 1 h wake-up, resumed the 1 h timer and read the next due timer (5 h): its re-arm waits at the gate.
        var reArm = await b.WakeUp.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Start.AddHours(5), reArm);

        // Meanwhile host A commits a timer due at 2 h 1 s: after what A once armed (2 h), before B's coming re-arm (5 h).
        var late = await hostA.StartWorkflowAsync("nap1h");
        var lateDue = Start.AddHours(2) + TimeSpan.FromSeconds(1);
        Assert.Contains(lateDue, a.WakeUp.Calls); // the fired wake-up is not WAITING: A's commit arms through Quartz
        b.WakeUp.Open();
        await WaitUntilAsync(() => b.WakeUp.Completed.Contains(Start.AddHours(5)), "host B's re-arm");
        Assert.Equal(("WAITING", lateDue), await WakeUpRowAsync(scheduler));

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () => await StatusAsync(hostA, late.InstanceId) == WorkflowStatus.Finished, "the 2 h 1 s timer");
        Assert.NotEqual(WorkflowStatus.Finished, await StatusAsync(hostA, fiveHours.InstanceId));

        clock.Advance(TimeSpan.FromHours(3));
        await WaitUntilAsync(async () => await StatusAsync(hostA, fiveHours.InstanceId) == WorkflowStatus.Finished, "the 5 h timer");
        foreach (var id in new[] { oneHour.InstanceId, late.InstanceId, fiveHours.InstanceId })
        {
            var journal = await hostA.Instances.GetJournalAsync(id, 0, 100, CancellationToken.None);
            Assert.Single(journal.Items, r => r.ActivityId == "after" && r.EventName == "Completed");
        }
    }

    private async Task<(TriggerTestHost Host, WatchedWakeUp WakeUp)> StartHostAsync(ManualTimeProvider clock, string scheduler)
    {
        WatchedWakeUp? watched = null;
        var host = await TriggerTestHost.StartAsync(_database, clock, scheduler,
            configure: services =>
            {
                services.AddSingleton(sp => watched = new WatchedWakeUp(ActivatorUtilities.CreateInstance<QuartzTimerWakeUp>(sp)));
                services.AddSingleton<ITimerWakeUp>(sp => sp.GetRequiredService<WatchedWakeUp>());
            },
            scheduling: o => o.Clustered = true);
        return (host, watched ?? host.Services.GetRequiredService<WatchedWakeUp>());
    }

    private static string DelayFlow(int hours) => $$"""
        {
          "definitionId": "nap{{hours}}h", "name": "nap{{hours}}h",
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "wait", "type": "Elsa.Delay", "timeSpan": "{{hours:00}}:00:00" },
              { "id": "after", "type": "Elsa.WriteLine", "text": "woke" }
            ],
            "connections": [ { "source": "wait", "target": "after" } ] }
        }
        """;

    /// <summary>Quartz's own row of the wake-up: its state and fire time (stored as UTC ticks).</summary>
    private async Task<(string State, DateTimeOffset FiresAt)> WakeUpRowAsync(string scheduler)
    {
        await using var connection = new NpgsqlConnection(_database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT trigger_state, next_fire_time FROM qrtz_triggers WHERE sched_name = @s AND trigger_name = 'wake-up' AND trigger_group = 'exit-timers'",
            connection);
        command.Parameters.AddWithValue("s", scheduler);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no wake-up trigger stored");
        return (reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero));
    }

    private static async Task<WorkflowStatus?> StatusAsync(TriggerTestHost host, string instanceId) =>
        (await host.Instances.FindAsync(instanceId, CancellationToken.None))?.Status;

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Stops a host while its manual clock keeps moving. Two nodes completing and re-storing the same trigger at once can
    /// deadlock inside Quartz (seen once: its completion's DELETE against the other node's UPDATE); Quartz then retries
    /// after a delay on the scheduler's clock, which is this test's manual clock, so a stop would wait for it forever.
    /// </summary>
    private sealed class StopWithClockRunning(TriggerTestHost host, ManualTimeProvider clock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            var stop = host.DisposeAsync().AsTask();
            while (await Task.WhenAny(stop, Task.Delay(100)) != stop) clock.Advance(TimeSpan.FromSeconds(5));
            await stop;
        }
    }

    /// <summary>The real wake-up, with every call recorded; while closed, calls wait before they reach Quartz.</summary>
    private sealed class WatchedWakeUp(ITimerWakeUp inner) : ITimerWakeUp
    {
        private volatile TaskCompletionSource? _gate;

        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

        public ConcurrentQueue<DateTimeOffset> Completed { get; } = new();

        public TaskCompletionSource<DateTimeOffset> Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Close()
        {
            Entered = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _gate?.TrySetResult();

        public async Task ArmAsync(DateTimeOffset dueAt, CancellationToken ct)
        {
            Calls.Enqueue(dueAt);
            if (_gate is { } gate)
            {
                Entered.TrySetResult(dueAt);
                await gate.Task.WaitAsync(ct);
            }
            await inner.ArmAsync(dueAt, ct);
            Completed.Enqueue(dueAt);
        }
    }
}
