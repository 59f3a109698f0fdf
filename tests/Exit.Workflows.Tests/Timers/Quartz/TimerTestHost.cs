using System.Collections.Concurrent;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Xunit.Abstractions;
using SchedulingOptions = Exit.Workflows.Timers.SchedulingOptions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>A temp directory holding one SQLite file, shared by the hosts a test starts and stops on it.</summary>
public sealed class TimerTestDatabase : IDisposable
{
    public TimerTestDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "exit-timers-" + Path.GetRandomFileName());
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = $"Data Source={Path.Combine(Directory, "exit.db")}";
    }

    /// <summary>Quartz keys rows by scheduler name: hosts on one database share it, tests running side by side do not.</summary>
    public string SchedulerName { get; } = "exit-timers-test-" + Path.GetRandomFileName();

    public string Directory { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the OS temp cleaner gets the rest.
        }
    }
}

/// <summary>Records handler calls and lets a test await them (with a real-time timeout).</summary>
public sealed class RecordingDueHandler : ITimerDueHandler
{
    private readonly ConcurrentDictionary<string, int> calls = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DueTimer>> waiters = new();
    private int total;

    /// <summary>Throws for a bookmark this many times before succeeding.</summary>
    public ConcurrentDictionary<string, int> FailuresToInject { get; } = new();

    public int Total => Volatile.Read(ref total);

    public TaskCompletionSource? AllDone { get; set; }

    public int ExpectedTotal { get; set; } = int.MaxValue;

    public int CallsFor(string bookmarkId) => calls.TryGetValue(bookmarkId, out var n) ? n : 0;

    public Task OnTimerDueAsync(DueTimer timer, CancellationToken ct)
    {
        calls.AddOrUpdate(timer.BookmarkId, 1, (_, n) => n + 1);
        if (FailuresToInject.TryGetValue(timer.BookmarkId, out var left) && left > 0)
        {
            FailuresToInject[timer.BookmarkId] = left - 1;
            throw new InvalidOperationException("injected failure");
        }

        Waiter(timer.BookmarkId).TrySetResult(timer);
        if (Interlocked.Increment(ref total) >= ExpectedTotal)
        {
            AllDone?.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task<DueTimer> WaitForAsync(string bookmarkId, TimeSpan? timeout = null) =>
        Waiter(bookmarkId).Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));

    private TaskCompletionSource<DueTimer> Waiter(string id) =>
        waiters.GetOrAdd(id, _ => new TaskCompletionSource<DueTimer>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>The runtime's pending bookmarks, as a test sets them.</summary>
public sealed class ListDueTimerSource : IDueTimerSource
{
    public List<DueTimer> Pending { get; } = [];

    public async IAsyncEnumerable<DueTimer> ListPendingAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var timer in Pending.ToList())
        {
            ct.ThrowIfCancellationRequested();
            yield return timer;
        }

        await Task.CompletedTask;
    }
}

/// <summary>
/// The real registration (<see cref="TimerServiceCollectionExtensions.AddExitTimers"/>) on a SQLite file, with the
/// manual clock as the container's TimeProvider, and hosted services started in order as a host would.
/// </summary>
public sealed class TimerTestHost : IAsyncDisposable
{
    private readonly List<IHostedService> started = [];

    private TimerTestHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public ITimerScheduler Timers => Services.GetRequiredService<ITimerScheduler>();

    public static async Task<TimerTestHost> StartAsync(
        TimerTestDatabase db,
        ManualTimeProvider clock,
        RecordingDueHandler handler,
        ListDueTimerSource? source = null,
        ITestOutputHelper? output = null,
        Action<SchedulingOptions>? configure = null,
        bool startHostedServices = true,
        ITimerDueHandler? handlerOverride = null,
        string provider = "Sqlite",
        string? connectionString = null)
    {
        var options = new SchedulingOptions { SchedulerName = db.SchedulerName };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Warning);
            if (output is not null)
            {
                b.AddProvider(new TestOutputLoggerProvider(output));
            }
        });
        services.AddSingleton<IHostApplicationLifetime, TestLifetime>();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(handlerOverride ?? handler);
        services.AddSingleton<IDueTimerSource>(source ?? new ListDueTimerSource());
        services.AddExitTimers(options, provider, connectionString ?? db.ConnectionString);
        var host = new TimerTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        if (startHostedServices)
        {
            await host.StartHostedServicesAsync();
        }

        return host;
    }

    public async Task StartHostedServicesAsync()
    {
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            started.Add(hosted);
        }

        ((TestLifetime)Services.GetRequiredService<IHostApplicationLifetime>()).Started();
    }

    public async Task<IScheduler> SchedulerAsync() =>
        await Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);

    public async Task<int> CountTriggersAsync()
    {
        var scheduler = await SchedulerAsync();
        var page = await scheduler.QueryTriggers(
            new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(TimerKeys.Group), Take = PagedQuery.All },
            CancellationToken.None);
        return page.Items.Count;
    }

    /// <summary>Polls (real time) until the condition holds; for state Quartz settles just after a firing.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = started.Count - 1; i >= 0; i--)
        {
            await started[i].StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
    }

    private sealed class TestLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource started = new();
        private readonly CancellationTokenSource stopping = new();
        private readonly CancellationTokenSource stopped = new();

        public CancellationToken ApplicationStarted => started.Token;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => stopped.Token;

        public void Started() => started.Cancel();

        public void StopApplication() => stopping.Cancel();

        public void Dispose()
        {
            started.Dispose();
            stopping.Dispose();
            stopped.Dispose();
        }
    }

    private sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ITestOutputHelper output, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                try
                {
                    output.WriteLine($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
                }
                catch (InvalidOperationException)
                {
                    // The test has finished; xunit refuses late output.
                }
            }
        }
    }
}
