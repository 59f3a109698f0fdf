using Microsoft.Extensions.DependencyInjection;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>The real Quartz scheduler on a real SQLite file, driven by the manual clock.</summary>
[Collection(QuartzCollection.Name)]
public sealed class QuartzTimerSchedulerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeZoneInfo Copenhagen = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");

    private readonly TimerTestDatabase db = new();
    // Years after the real date: only the manual clock can make these timers due.
    private readonly ManualTimeProvider clock = new(new DateTimeOffset(2031, 1, 15, 9, 0, 0, TimeSpan.Zero), Copenhagen);
    private readonly RecordingDueHandler handler = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task ScheduleAsync_DueInFourMonths_FiresOnceWhenClockIsAdvanced()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        var due = DueTimeCalculator.Add(clock.GetUtcNow(), WorkflowDuration.Parse("P4M"), Copenhagen);
        await host.Timers.ScheduleAsync([new DueTimer("b1", "i1", due)], CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(119));
        Assert.Equal(0, handler.CallsFor("b1"));
        var advanced = System.Diagnostics.Stopwatch.StartNew();
        clock.SetUtcNow(due);

        var fired = await handler.WaitForAsync("b1");
        output.WriteLine($"Handler called {advanced.ElapsedMilliseconds} ms (real time) after the clock reached the due time");
        Assert.Equal(new DateTimeOffset(2031, 5, 15, 10, 0, 0, TimeSpan.FromHours(2)), due);
        Assert.Equal(new DueTimer("b1", "i1", due), fired);
        await TimerTestHost.EventuallyAsync(async () => await host.CountTriggersAsync() == 0, "the spent trigger is removed");
        Assert.Equal(1, handler.CallsFor("b1"));
    }

    [Fact]
    public async Task ScheduleAsync_TimerOfAMunicipality_FiresWithItsTenant()
    {
        // A bookmark's own (retry) trigger fires outside any request: it carries the tenant its resume must enter.
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        var timer = new DueTimer("b1", "i1", clock.GetUtcNow().AddMinutes(5), "aarhus");
        await host.Timers.ScheduleAsync([timer], CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(timer, await handler.WaitForAsync("b1"));
    }

    [Fact]
    public async Task ScheduleAsync_SameBookmarkTwice_StoresOneTriggerAndFiresOnce()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        var timer = new DueTimer("b1", "i1", clock.GetUtcNow().AddMinutes(5));

        await host.Timers.ScheduleAsync([timer], CancellationToken.None);
        await host.Timers.ScheduleAsync([timer, timer], CancellationToken.None);
        Assert.Equal(1, await host.CountTriggersAsync());

        clock.Advance(TimeSpan.FromMinutes(5));
        await handler.WaitForAsync("b1");
        await TimerTestHost.EventuallyAsync(async () => await host.CountTriggersAsync() == 0, "the spent trigger is removed");
        Assert.Equal(1, handler.CallsFor("b1"));
    }

    [Fact]
    public async Task ScheduleAsync_SameBookmarkConcurrently_StoresOneTrigger()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        var timer = new DueTimer("b1", "i1", clock.GetUtcNow().AddMinutes(5));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Timers.ScheduleAsync([timer], CancellationToken.None))));

        Assert.Equal(1, await host.CountTriggersAsync());
    }

    [Fact]
    public async Task ScheduleAsync_DueInThePast_FiresWithoutMovingTheClock()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);

        await host.Timers.ScheduleAsync([new DueTimer("late", "i1", clock.GetUtcNow().AddDays(-3))], CancellationToken.None);

        await handler.WaitForAsync("late");
    }

    [Fact]
    public async Task CancelAsync_PreventsFiring()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        var due = clock.GetUtcNow().AddHours(1);
        await host.Timers.ScheduleAsync([new DueTimer("cancelled", "i1", due), new DueTimer("kept", "i2", due)], CancellationToken.None);

        await host.Timers.CancelAsync(["cancelled", "never-scheduled"], CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));

        await handler.WaitForAsync("kept");
        await TimerTestHost.EventuallyAsync(async () => await host.CountTriggersAsync() == 0, "no trigger is left");
        Assert.Equal(0, handler.CallsFor("cancelled"));
    }

    [Fact]
    public async Task Reconcile_RecreatesMissingTrigger_AndLeavesExistingOnes()
    {
        var source = new ListDueTimerSource();
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, source, output);
        var due = clock.GetUtcNow().AddDays(3);
        var scheduled = new DueTimer("scheduled", "i1", due);
        var lost = new DueTimer("lost", "i2", due); // committed by the runtime, then a crash before ScheduleAsync
        await host.Timers.ScheduleAsync([scheduled], CancellationToken.None);
        source.Pending.AddRange([scheduled, lost]);

        var result = await host.Services.GetRequiredService<TimerReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal((2, 1, 1, 0, 0), (result.Pending, result.AlreadyScheduled, result.Recreated, result.Orphaned, result.ResetFromError));
        Assert.Equal(2, await host.CountTriggersAsync());
        clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(lost, await handler.WaitForAsync("lost"));
        await handler.WaitForAsync("scheduled");
    }

    [Fact]
    public async Task Reconcile_AtStartUp_RecreatesMissingTriggers()
    {
        var source = new ListDueTimerSource();
        source.Pending.Add(new DueTimer("lost", "i1", clock.GetUtcNow().AddMinutes(1)));

        await using var host = await TimerTestHost.StartAsync(db, clock, handler, source, output);
        clock.Advance(TimeSpan.FromMinutes(1));

        await handler.WaitForAsync("lost");
    }

    [Fact]
    public async Task Reconcile_ResetsTriggerParkedInError()
    {
        var timer = new DueTimer("b1", "i1", clock.GetUtcNow().AddMinutes(1));
        await using (var first = await TimerTestHost.StartAsync(db, clock, handler, output: output))
        {
            await first.Timers.ScheduleAsync([timer], CancellationToken.None);
        }

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'ERROR' WHERE TRIGGER_NAME = 'bookmark-b1'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var source = new ListDueTimerSource();
        source.Pending.Add(timer);
        await using var second = await TimerTestHost.StartAsync(db, clock, handler, source, output);
        clock.Advance(TimeSpan.FromMinutes(1));

        await handler.WaitForAsync("b1");
    }

    [Fact]
    public async Task TriggerDueWhileStopped_FiresAtOnceAfterStart()
    {
        await using (var first = await TimerTestHost.StartAsync(db, clock, handler, output: output))
        {
            await first.Timers.ScheduleAsync([new DueTimer("b1", "i1", clock.GetUtcNow().AddHours(1))], CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromDays(2)); // down for two days: far past the misfire threshold
        Assert.Equal(0, handler.CallsFor("b1"));

        await using var second = await TimerTestHost.StartAsync(db, clock, handler, output: output);

        var fired = await handler.WaitForAsync("b1"); // no clock movement needed
        Assert.Equal(clock.GetUtcNow().AddDays(-2).AddHours(1), fired.DueAt);
    }

    [Fact]
    public async Task HandlerFailure_IsRetriedWithBackOff()
    {
        await using var host = await TimerTestHost.StartAsync(db, clock, handler, output: output);
        handler.FailuresToInject["b1"] = 1;
        await host.Timers.ScheduleAsync([new DueTimer("b1", "i1", clock.GetUtcNow().AddMinutes(1))], CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(1));
        await TimerTestHost.EventuallyAsync(() => Task.FromResult(handler.CallsFor("b1") == 1), "the first attempt has run");
        await TimerTestHost.EventuallyAsync(async () => (await (await host.SchedulerAsync()).GetTrigger(TimerKeys.TriggerFor("b1"), CancellationToken.None))?.NextFireTimeUtc > clock.GetUtcNow(), "the retry is scheduled");
        clock.Advance(TimeSpan.FromSeconds(30));

        await handler.WaitForAsync("b1");
        Assert.Equal(2, handler.CallsFor("b1"));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuartzCollection
{
    public const string Name = "Quartz on SQLite";
}
