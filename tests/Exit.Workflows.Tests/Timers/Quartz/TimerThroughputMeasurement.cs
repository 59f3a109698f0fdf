using System.Diagnostics;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>
/// A measurement, not a test: how fast the real Quartz + SQLite set-up schedules and drains a burst of due
/// timers. Runs only with <c>EXIT_TIMER_BENCH=1</c> (optionally <c>EXIT_TIMER_BENCH_CONFIGS=16x16,32x32</c> as
/// MaxConcurrency x MaxBatchSize, and <c>EXIT_TIMER_BENCH_COUNT</c>); results go to the test output:
/// <c>EXIT_TIMER_BENCH=1 dotnet test tests/Exit.Workflows.Tests --filter TimerThroughputMeasurement --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(QuartzCollection.Name)]
public sealed class TimerThroughputMeasurement(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_BurstOfDueTimers()
    {
        if (Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH") != "1")
        {
            return;
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH_COUNT"), out var c) ? c : 2000;
        var configs = (Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH_CONFIGS") ?? "16x16")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('x').Select(int.Parse).ToArray());
        var reps = int.TryParse(Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH_REPS"), out var r) ? r : 1;
        output.WriteLine($"{Environment.ProcessorCount} cores, {count} timers due at once, SQLite file; load average {LoadAverage()}");
        await MeasureAsync(200, 16, 16, report: false); // warm-up: JIT, SQLite, Quartz start-up paths
        for (var rep = 0; rep < reps; rep++)
        {
            foreach (var config in configs)
            {
                await MeasureAsync(count, config[0], config[1], report: true);
            }
        }

        output.WriteLine($"load average {LoadAverage()}");
    }

    [Fact]
    public async Task Measure_Reconcile10000()
    {
        if (Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH") != "1")
        {
            return;
        }

        using var db = new TimerTestDatabase();
        var clock = new ManualTimeProvider(new DateTimeOffset(2031, 1, 15, 9, 0, 0, TimeSpan.Zero));
        await using var host = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler());
        var source = new ListDueTimerSource();
        source.Pending.AddRange(Enumerable.Range(0, 10_000)
            .Select(i => new DueTimer($"b{i}", $"i{i}", clock.GetUtcNow().AddDays(1 + (i % 300)))));
        var reconciler = new TimerReconciler(
            host.Services.GetRequiredService<global::Quartz.ISchedulerFactory>(), new SingleSourceScopes(source), clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TimerReconciler>.Instance);

        var empty = await reconciler.ReconcileAsync(CancellationToken.None);
        await host.Timers.CancelAsync(source.Pending.Where((_, i) => i % 10 == 0).Select(t => t.BookmarkId).ToList(), CancellationToken.None);
        var tenthMissing = await reconciler.ReconcileAsync(CancellationToken.None);
        var complete = await reconciler.ReconcileAsync(CancellationToken.None);

        output.WriteLine($"load average {LoadAverage()}");
        output.WriteLine($"10,000 pending, none scheduled: {empty}");
        output.WriteLine($"10,000 pending, 1,000 missing: {tenthMissing}");
        output.WriteLine($"10,000 pending, all scheduled: {complete}");
        Assert.Equal(10_000, await host.CountTriggersAsync());
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private async Task MeasureAsync(int count, int concurrency, int batch, bool report)
    {
        using var db = new TimerTestDatabase();
        var clock = new ManualTimeProvider(new DateTimeOffset(2031, 1, 15, 9, 0, 0, TimeSpan.Zero));
        var handler = new RecordingDueHandler { ExpectedTotal = count, AllDone = new TaskCompletionSource() };
        var ef = Environment.GetEnvironmentVariable("EXIT_TIMER_BENCH_HANDLER") == "ef";
        SqliteCoexistenceTests.EfWritingHandler? efHandler = null;
        if (ef)
        {
            await using var setup = new SqliteCoexistenceTests.AppDb(db.ConnectionString);
            await setup.Database.EnsureCreatedAsync();
            efHandler = new SqliteCoexistenceTests.EfWritingHandler(db.ConnectionString, count);
        }

        await using var host = await TimerTestHost.StartAsync(
            db, clock, handler, handlerOverride: efHandler,
            configure: o => (o.MaxConcurrency, o.MaxBatchSize) = (concurrency, batch));
        var due = clock.GetUtcNow().AddHours(1);
        var timers = Enumerable.Range(0, count).Select(i => new DueTimer($"b{i}", $"i{i}", due)).ToList();

        var sw = Stopwatch.StartNew();
        var oneByOneCount = Math.Min(200, count / 2);
        await host.Timers.ScheduleAsync(timers.Take(oneByOneCount).ToList(), CancellationToken.None);
        var oneByOne = sw.Elapsed;
        var source = new ListDueTimerSource();
        source.Pending.AddRange(timers);
        sw.Restart();
        var reconcile = await new TimerReconciler(
                host.Services.GetRequiredService<global::Quartz.ISchedulerFactory>(),
                new SingleSourceScopes(source), clock,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<TimerReconciler>.Instance)
            .ReconcileAsync(CancellationToken.None);
        var batched = sw.Elapsed;

        sw.Restart();
        clock.Advance(TimeSpan.FromHours(1));
        await (efHandler?.AllDone.Task ?? handler.AllDone.Task).WaitAsync(TimeSpan.FromMinutes(5));
        var fired = sw.Elapsed;
        await TimerTestHost.EventuallyAsync(async () => await host.CountTriggersAsync() == 0, "all triggers are removed", TimeSpan.FromMinutes(5));
        var completed = sw.Elapsed;

        if (!report)
        {
            return;
        }

        output.WriteLine(
            $"MaxConcurrency {concurrency}, MaxBatchSize {batch}, handler {(ef ? "one EF insert" : "no-op")}: schedule one by one {oneByOneCount / oneByOne.TotalSeconds:F0}/s; " +
            $"reconcile {reconcile.Recreated} in {batched.TotalMilliseconds:F0} ms ({reconcile.Recreated / batched.TotalSeconds:F0}/s); " +
            $"{count} fired in {fired.TotalSeconds:F2} s = {count / fired.TotalSeconds:F0}/s; " +
            $"all completed (triggers removed) in {completed.TotalSeconds:F2} s = {count / completed.TotalSeconds:F0}/s; no-op handler calls {handler.Total}");
    }

    private sealed class SingleSourceScopes(IDueTimerSource source) : IServiceScopeFactory, IServiceScope, IServiceProvider
    {
        public IServiceProvider ServiceProvider => this;

        public IServiceScope CreateScope() => this;

        public object? GetService(Type serviceType) => serviceType == typeof(IDueTimerSource) ? source : null;

        public void Dispose()
        {
        }
    }
}
