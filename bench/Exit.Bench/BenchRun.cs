using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Tasks;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static Exit.Bench.Stats;

namespace Exit.Bench;

/// <summary>
/// The phases, in order, on one database: starts → size (task) → completions → size (timer) → timers → restart →
/// overdue → idle. Phases not selected with --only are skipped; a phase whose input is missing creates it unmeasured.
/// The clock is a <see cref="ManualTimeProvider"/> (the real Quartz scheduler runs on it) except in the idle phase,
/// which runs on the system clock so that any polling would show.
/// </summary>
public sealed class BenchRun(BenchOptions options)
{
    public const string TaskDefinition = "task-then-timer";
    public const string DelayDefinition = "bench-delay";
    private const string FakeTaskPrefix = "bench-open-";

    private readonly List<(string Metric, string Value, string Target, string Note)> _rows = [];
    private readonly CommitRecorder _recorder = new();
    private readonly WriterFigures _writer = new();
    private readonly string _work = Path.Combine(Path.GetTempPath(), "exit-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    private DatabaseOptions _database = null!;
    private string? _sqlitePath;
    private ManualTimeProvider _clock = null!;
    private IHost? _host;
    private long _baselineBytes;
    private double _lastCpuPerOp;

    /// <summary>CPU time (user + system) of this process so far: per operation it is far less sensitive to a loaded machine than a rate.</summary>
    private static double CpuMs()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalMilliseconds;
    }

    private string CpuNote(double perOp) => FormattableString.Invariant($"{perOp:F2} CPU-ms/op (≈ {Environment.ProcessorCount * 1000 / perOp:N0}/s if the cores were ours), {_lastAllocNote}");

    // Bytes allocated (all threads) and garbage collections during the last parallel phase, per operation: the
    // callers' allocations are most of their CPU besides SQLite, so the figure shows a change's effect before the rate does.
    private string _lastAllocNote = "allocations not measured";

    private static (long Bytes, int Gen0, int Gen2) AllocationMark() =>
        (GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(2));

    private static string AllocationNote((long Bytes, int Gen0, int Gen2) mark, int operations) => FormattableString.Invariant(
        $"{(GC.GetTotalAllocatedBytes(precise: false) - mark.Bytes) / 1024.0 / Math.Max(1, operations):F1} KB allocated/op, GCs gen0 {GC.CollectionCount(0) - mark.Gen0}, gen2 {GC.CollectionCount(2) - mark.Gen2}");

    /// <summary>
    /// Bytes this process caused to be written to storage so far (<c>write_bytes</c> of <c>/proc/self/io</c>: the database
    /// file, its WAL and checkpoints; on PostgreSQL the server writes, so this stays near 0). -1 where there is no /proc.
    /// </summary>
    private static long WriteBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/io"))
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }

    private long _writeBytes0;
    private long _switches0;

    /// <summary>Involuntary context switches of the whole process so far (getrusage), -1 where unavailable.</summary>
    private static long InvoluntarySwitches()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        return GetRUsage(0, out var usage) == 0 ? usage.InvoluntarySwitches : -1;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, out RUsage usage);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, SharedRss, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlocksIn, BlocksOut;
        public long MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    /// <summary>Starts counting the bytes written for the next <see cref="WriteNote"/>.</summary>
    private void StartWriteCount()
    {
        _writeBytes0 = WriteBytes();
        _switches0 = InvoluntarySwitches();
    }

    private string WriteNote(int operations)
    {
        var now = WriteBytes();
        var switches = InvoluntarySwitches();
        var switchNote = switches < 0 || _switches0 < 0 || operations <= 0 ? "" : FormattableString.Invariant($", {(switches - _switches0) / (double)operations:F1} involuntary context switches/op");
        if (now < 0 || _writeBytes0 < 0 || operations <= 0) return "bytes written: n/a" + switchNote;
        return FormattableString.Invariant($"{(now - _writeBytes0) / 1024.0 / operations:F1} KB written/op") + switchNote;
    }

    /// <summary>How the database is set up, in the provider's own words.</summary>
    private string DatabaseDescription() => _database.Provider == DatabaseProvider.Sqlite
        ? $"SQLite file {_sqlitePath}, synchronous=FULL, WAL" + (_database.SqliteCheckpointEvery > 0 ? $", checkpoint every {_database.SqliteCheckpointEvery} commits in the background" : "")
        : "PostgreSQL server (durability as the server is configured: fsync, synchronous_commit)";

    public async Task RunAsync()
    {
        Directory.CreateDirectory(_work);
        if (options.Runs(BenchOptions.ClusterPhase))
        {
            // Host processes on databases of their own: nothing of the in-process bench runs.
            await new ClusterPhase(options, _work, PrepareDefinitions()).RunAsync();
            return;
        }
        _database = PrepareDatabase();
        var definitions = PrepareDefinitions();
        _clock = new ManualTimeProvider(new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero));

        Console.WriteLine($"Exit bench: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {RuntimeDescription()}");
        Console.WriteLine($"database: {DatabaseDescription()}, group commit {(_database.GroupCommit ? "on" : "off")}");
        Console.WriteLine($"instances {options.Instances}, concurrency {options.Concurrency}, timers {options.Timers}, open tasks {options.OpenTasks}, idle tasks {options.IdleTasks}");
        Console.WriteLine();

        await WarmUpAsync(definitions);
        _host = await StartHostAsync(_clock, definitions);
        _baselineBytes = await DatabaseBytesAsync();

        if (options.Runs("starts")) await StartsAsync(measured: true);
        if (options.Runs("size")) await SizeAsync("waiting on a task", options.Instances);
        if (options.Runs("completions")) await CompletionsAsync();
        if (options.Runs("size") && options.Runs("completions")) await SizeAsync("waiting on a timer (after the task)", options.Instances);
        if (options.Runs("timers")) await TimersAsync();
        if (options.Runs("restart")) await RestartAsync(definitions);
        if (options.Runs("overdue")) await OverdueAsync();
        await StopHostAsync();
        if (options.Runs("http")) await HttpAsync(definitions);
        if (options.Runs("idle")) await IdleAsync(definitions);

        PrintTable();
    }

    public void Cleanup()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        if (options.KeepDatabase || options.DatabasePath is not null) return;
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // ---------------------------------------------------------------- phases

    private async Task StartsAsync(bool measured)
    {
        StartWriteCount();
        var writer = _writer.Now();
        var (elapsed, latencies) = await RunParallelAsync(options.Instances, options.Concurrency, (sp, _) =>
            sp.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(TaskDefinition), CancellationToken.None));
        var rate = options.Instances / elapsed.TotalSeconds;
        var written = WriteNote(options.Instances);
        Console.WriteLine($"starts: {options.Instances} in {elapsed.TotalSeconds:F2} s = {rate:F0}/s; latency p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; {CpuNote(_lastCpuPerOp)}; {written}  [load {LoadAverage()}]");
        Console.WriteLine($"starts: {_writer.Since(writer, elapsed)}");
        if (measured)
            Row("instances started/s (Start→HumanTask, durable)", F(rate), "≥ 2,500/s", $"p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; {CpuNote(_lastCpuPerOp)}; {written}");
    }

    private async Task CompletionsAsync()
    {
        var ids = await OpenRealTaskIdsAsync();
        if (ids.Count < options.Instances)
        {
            Console.WriteLine("completions: starting the instances first (not measured)");
            await StartsAsync(measured: false);
            ids = await OpenRealTaskIdsAsync();
        }
        ids = ids.Take(options.Instances).ToList();
        StartWriteCount();
        var writer = _writer.Now();
        var (elapsed, latencies) = await RunParallelAsync(ids.Count, options.Concurrency, (sp, i) =>
            sp.GetRequiredService<HumanTaskService>().CompleteAsync(ids[i], "Approved", null, "bench", CancellationToken.None));
        var rate = ids.Count / elapsed.TotalSeconds;
        var written = WriteNote(ids.Count);
        Console.WriteLine($"completions: {ids.Count} in {elapsed.TotalSeconds:F2} s = {rate:F0}/s; latency p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; {CpuNote(_lastCpuPerOp)}; {written}  [load {LoadAverage()}]");
        Console.WriteLine($"completions: {_writer.Since(writer, elapsed)}");
        Row("task completions/s (HumanTaskService, durable)", F(rate), "≥ 2,000/s", $"p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; {CpuNote(_lastCpuPerOp)}; {written}");
    }

    private async Task TimersAsync()
    {
        var waiting = await ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL");
        var topUp = options.Timers - (int)waiting;
        if (topUp > 0)
        {
            var (elapsed, _) = await RunParallelAsync(topUp, options.Concurrency, (sp, _) =>
                sp.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(DelayDefinition), CancellationToken.None));
            Console.WriteLine($"timers: started {topUp} Start→Delay(1 day) instances in {elapsed.TotalSeconds:F1} s ({topUp / elapsed.TotalSeconds:F0}/s), {waiting} already waiting");
        }
        var due = _clock.GetUtcNow() + TimeSpan.FromDays(1);
        var total = (int)await ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL");
        var all = _recorder.Expect(total);
        var cpu0 = CpuMs();
        var allocations = AllocationMark();
        StartWriteCount();
        var writer = _writer.Now();
        var jumped = Stopwatch.GetTimestamp();
        _clock.SetUtcNow(due);
        var (count, fired, p50, p99, last) = await AwaitFinishesAsync(all, total, jumped, TimeSpan.FromMinutes(15));
        var writerNote = _writer.Since(writer, TimeSpan.FromSeconds(last));
        var cpu = (CpuMs() - cpu0) / Math.Max(1, count);
        _lastAllocNote = AllocationNote(allocations, count);
        var written = WriteNote(Math.Max(1, count));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var left = await ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL");
        var triggers = await QuartzTriggerCountAsync();
        Console.WriteLine($"timers: {count} of {total} due at once fired and committed in {last:F2} s = {fired:F0}/s; lag p50 {p50:F0} ms, p99 {p99:F0} ms; " +
                          $"duplicates {_recorder.Duplicates}, timer bookmarks left {left}, Quartz triggers left {triggers}; {CpuNote(cpu)}; {written}  [load {LoadAverage()}]");
        Console.WriteLine($"timers: {writerNote}");
        Row($"timers fired+persisted/s ({total} due at once)", F(fired), "≥ 3,000/s", $"lag p50 {p50:F0} ms, p99 {p99:F0} ms; {count}/{total} done, {_recorder.Duplicates} twice, {triggers} Quartz triggers left; {CpuNote(cpu)}; {written}");
    }

    private async Task RestartAsync(string definitions)
    {
        var (elapsed, _) = await RunParallelAsync(options.Timers, options.Concurrency, (sp, _) =>
            sp.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(DelayDefinition), CancellationToken.None));
        Console.WriteLine($"restart: started {options.Timers} Start→Delay(1 day) instances in {elapsed.TotalSeconds:F1} s; stopping the host");
        var stop = Stopwatch.StartNew();
        await StopHostAsync();
        Console.WriteLine($"restart: host stopped in {stop.Elapsed.TotalSeconds:F1} s; new host with the clock 2 days later");

        _clock = new ManualTimeProvider(_clock.GetUtcNow() + TimeSpan.FromDays(2));
        var total = (int)await ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL");
        var all = _recorder.Expect(total);
        var cpu0 = CpuMs();
        var allocations = AllocationMark();
        StartWriteCount();
        var started = Stopwatch.GetTimestamp();
        _host = await StartHostAsync(_clock, definitions);
        var startup = Ms(Stopwatch.GetTimestamp() - started) / 1000;
        var (count, rate, p50, p99, last) = await AwaitFinishesAsync(all, total, started, TimeSpan.FromMinutes(15));
        var cpu = (CpuMs() - cpu0) / Math.Max(1, count);
        _lastAllocNote = AllocationNote(allocations, count);
        var written = WriteNote(Math.Max(1, count));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var left = await ScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL");
        Console.WriteLine($"restart: {count} of {total} overdue timers handled {last:F2} s after the new host was started (start-up {startup:F2} s) = {rate:F0}/s; " +
                          $"p50 {p50:F0} ms, p99 {p99:F0} ms; duplicates {_recorder.Duplicates}, left {left}; {CpuNote(cpu)}; {written}  [load {LoadAverage()}]");
        Row($"{total} overdue timers handled after restart", $"{last:F1} s", "≤ 5 s", $"start-up {startup:F1} s, {rate:F0}/s, {count}/{total} done, {_recorder.Duplicates} twice; {CpuNote(cpu)}; {written}");
    }

    private async Task OverdueAsync()
    {
        var open = await ScalarAsync($"SELECT COUNT(*) FROM \"HumanTasks\" WHERE \"Status\" = 'Open'");
        var insert = Math.Max(0, options.OpenTasks - (int)open);
        var watch = Stopwatch.StartNew();
        await InsertOpenTasksAsync(insert, _clock.GetUtcNow());
        Console.WriteLine($"overdue: inserted {insert} open tasks in {watch.Elapsed.TotalSeconds:F1} s (due dates spread ±50 days around now: about half overdue)");

        var latencies = new List<double>(options.OverdueQueries);
        var total = 0;
        for (var i = -10; i < options.OverdueQueries; i++)
        {
            await using var scope = _host!.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var t0 = Stopwatch.GetTimestamp();
            var page = await mediator.Send(new ListTasks.Query(null, null, null, "true", null, null, null));
            var ms = Ms(Stopwatch.GetTimestamp() - t0);
            if (i >= 0) latencies.Add(ms);
            total = page.TotalCount;
        }
        var openNow = await ScalarAsync($"SELECT COUNT(*) FROM \"HumanTasks\" WHERE \"Status\" = 'Open'");
        Console.WriteLine($"overdue: {options.OverdueQueries} queries (first page of 50, total {total} overdue of {openNow} open): p50 {Percentile(latencies, 50):F2} ms, p99 {Percentile(latencies, 99):F2} ms  [load {LoadAverage()}]");
        Row($"GET /api/tasks?overdue=true ({openNow:N0} open) via IMediator", $"p50 {Percentile(latencies, 50):F1} ms", "< 20 ms", $"p99 {Percentile(latencies, 99):F1} ms; {total:N0} overdue, page of 50");
    }

    /// <summary>Starts and completions through the real Host over HTTP (<see cref="HttpPhase"/>), on a file of their own.</summary>
    private async Task HttpAsync(string definitions)
    {
        if (_database.Provider != DatabaseProvider.Sqlite)
        {
            Console.WriteLine("http: SQLite only (the Host would need an empty PostgreSQL database of its own)");
            return;
        }
        var phase = new HttpPhase(options, _work, definitions);
        await phase.RunAsync();
        _rows.AddRange(phase.Rows);
    }

    private async Task IdleAsync(string definitions)
    {
        _host = await StartHostAsync(TimeProvider.System, definitions);
        var waiting = (int)await ScalarAsync($"SELECT COUNT(*) FROM \"HumanTasks\" WHERE \"Status\" = 'Open' AND \"Id\" NOT LIKE '{FakeTaskPrefix}%'");
        var topUp = options.IdleTasks - waiting;
        if (topUp > 0)
        {
            var (elapsed, _) = await RunParallelAsync(topUp, options.Concurrency, (sp, _) =>
                sp.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(TaskDefinition), CancellationToken.None));
            Console.WriteLine($"idle: started {topUp} more task instances in {elapsed.TotalSeconds:F1} s ({topUp / elapsed.TotalSeconds:F0}/s)");
        }
        waiting = (int)await ScalarAsync($"SELECT COUNT(*) FROM \"HumanTasks\" WHERE \"Status\" = 'Open' AND \"Id\" NOT LIKE '{FakeTaskPrefix}%'");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        Console.WriteLine($"idle: {waiting} instances waiting on tasks, system clock: {cpu:F0} ms CPU in {wall.Elapsed.TotalSeconds:F1} s ({cpu / wall.Elapsed.TotalMilliseconds * 100:F2} % of one core)  [load {LoadAverage()}]");
        Row($"idle CPU, {waiting:N0} instances waiting on tasks", $"{cpu:F0} ms / 10 s", "~0 (no polling)", $"{cpu / wall.Elapsed.TotalMilliseconds * 100:F2} % of a core");
        await StopHostAsync();
    }

    /// <summary>
    /// Two views: the database growth since the empty schema (page count minus free pages, so indexes, B-tree slack and
    /// Quartz rows included) divided by the instances; and per table the bytes of the row values alone (text and blob
    /// lengths, SQLite's integer sizes), which splits the cost into instance, bookmarks, journal, tasks and Quartz.
    /// </summary>
    private async Task SizeAsync(string what, int instances)
    {
        var instancesNow = await ScalarAsync("SELECT COUNT(*) FROM wf_instances");
        if (instancesNow == 0)
        {
            Console.WriteLine($"size ({what}): no instances stored; run the starts phase too");
            return;
        }
        var growth = (await DatabaseBytesAsync() - _baselineBytes) / (double)instancesNow;
        var values = await RowValueBytesAsync();
        long Part(Func<string, bool> match) => values.Where(kv => match(kv.Key)).Sum(kv => kv.Value);
        var parts = new (string Name, long Bytes)[]
        {
            ("instance", Part(t => t == "wf_instances")),
            ("bookmarks", Part(t => t == "wf_bookmarks")),
            ("journal", Part(t => t == "wf_journal")),
            ("tasks", Part(t => t.StartsWith("humantask", StringComparison.Ordinal))),
            ("quartz", Part(t => t.StartsWith("qrtz_", StringComparison.Ordinal))),
        };
        var stateLength = await ScalarAsync("SELECT COALESCE(SUM(LENGTH(state)), 0) FROM wf_instances") / (double)instancesNow;
        var detail = string.Join(", ", parts.Select(p => $"{p.Name} {p.Bytes / (double)instancesNow:F0}"));
        Console.WriteLine($"size ({what}): {instancesNow} instances; file growth {growth:F0} B per instance; row values per instance: {detail} " +
                          $"(sum {parts.Sum(p => p.Bytes) / (double)instancesNow:F0}); state JSON {stateLength:F0} B");
        Row($"bytes stored per instance {what}", $"{growth:N0} B", "≤ 3 KB", $"file growth incl. indexes; row values: {detail}; state JSON {stateLength:F0}");
        _ = instances;
    }

    /// <summary>JIT and connection pools warm on a throwaway database, so the first measured phase is not a cold start.</summary>
    private async Task WarmUpAsync(string definitions)
    {
        if (_database.Provider != DatabaseProvider.Sqlite) return;
        var real = _database;
        var path = Path.Combine(_work, "warmup.db");
        _database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString() };
        var watch = Stopwatch.StartNew();
        var clock = _clock;
        _clock = new ManualTimeProvider(clock.GetUtcNow());
        _host = await StartHostAsync(_clock, definitions);
        const int n = 200;
        await RunParallelAsync(n, options.Concurrency, (sp, _) =>
            sp.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(TaskDefinition), CancellationToken.None));
        var ids = await OpenRealTaskIdsAsync();
        await RunParallelAsync(ids.Count, options.Concurrency, (sp, i) =>
            sp.GetRequiredService<HumanTaskService>().CompleteAsync(ids[i], "Approved", null, "bench", CancellationToken.None));
        var all = _recorder.Expect(ids.Count);
        _clock.Advance(TimeSpan.FromDays(2));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
        await using (var scope = _host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListTasks.Query(null, null, null, "true", null, null, null));
        await StopHostAsync();
        _database = real;
        _clock = clock;
        Console.WriteLine($"warm-up on a throwaway database: {watch.Elapsed.TotalSeconds:F1} s ({_recorder.Finished}/{ids.Count} timers)");
    }

    // ---------------------------------------------------------------- host and drivers

    private async Task<IHost> StartHostAsync(TimeProvider clock, string definitions)
    {
        var host = BenchHost.Build(_database, definitions, clock, _recorder);
        await host.StartAsync();
        return host;
    }

    private async Task StopHostAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        if (_host is IAsyncDisposable d) await d.DisposeAsync(); else _host.Dispose();
        _host = null;
        SqliteConnection.ClearAllPools();
    }

    /// <summary><paramref name="count"/> calls by <paramref name="concurrency"/> callers, each call in its own DI scope (like a request).</summary>
    private async Task<(TimeSpan Elapsed, List<double> LatenciesMs)> RunParallelAsync(int count, int concurrency, Func<IServiceProvider, int, Task> call)
    {
        var cpu0 = CpuMs();
        var allocations = AllocationMark();
        var next = -1;
        var latencies = new double[count];
        var failures = 0;
        Exception? firstFailure = null;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await using var scope = _host!.Services.CreateAsyncScope();
                    await call(scope.ServiceProvider, i);
                }
                catch (Exception e)
                {
                    if (Interlocked.Increment(ref failures) == 1) firstFailure = e;
                }
                latencies[i] = Ms(Stopwatch.GetTimestamp() - t0);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();
        _lastCpuPerOp = (CpuMs() - cpu0) / count;
        _lastAllocNote = AllocationNote(allocations, count);
        if (failures > 0) throw new InvalidOperationException($"{failures} of {count} calls failed; first: {firstFailure}", firstFailure);
        return (watch.Elapsed, [.. latencies]);
    }

    private async Task<(int Count, double Rate, double P50, double P99, double LastSeconds)> AwaitFinishesAsync(Task all, int total, long from, TimeSpan timeout)
    {
        var progress = Stopwatch.StartNew();
        while (!all.IsCompleted && progress.Elapsed < timeout)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
            if (!all.IsCompleted) Console.WriteLine($"  … {_recorder.Finished} of {total} after {progress.Elapsed.TotalSeconds:F0} s [load {LoadAverage()}]");
        }
        var lags = _recorder.FinishTimestamps().Select(t => Ms(t - from)).ToList();
        var last = lags.Count == 0 ? double.NaN : lags.Max() / 1000;
        return (lags.Count, lags.Count / last, Percentile(lags, 50), Percentile(lags, 99), last);
    }

    // ---------------------------------------------------------------- database helpers

    private DatabaseOptions PrepareDatabase()
    {
        if (options.Provider == DatabaseProvider.Postgres)
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = options.ConnectionString! };

        _sqlitePath = Path.GetFullPath(options.DatabasePath ?? Path.Combine(_work, "bench.db"));
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_sqlitePath + suffix)) File.Delete(_sqlitePath + suffix);
        Directory.CreateDirectory(Path.GetDirectoryName(_sqlitePath)!);
        return new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = _sqlitePath }.ToString(),
            SqliteCheckpointEvery = options.CheckpointEvery,
        };
    }

    /// <summary>The shipped task-then-timer definition and a Start→Delay(1 day)→WriteLine→End one, in a folder of their own.</summary>
    private string PrepareDefinitions()
    {
        var folder = Path.Combine(_work, "definitions");
        Directory.CreateDirectory(folder);
        var shipped = FindUp(Path.Combine("workflow-definitions", TaskDefinition + ".json"))
                      ?? throw new FileNotFoundException($"workflow-definitions/{TaskDefinition}.json not found above {AppContext.BaseDirectory}");
        File.Copy(shipped, Path.Combine(folder, TaskDefinition + ".json"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, DelayDefinition + ".json"), DelayJson);
        return folder;
    }

    private static string? FindUp(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private const string DelayJson = """
        {
          "id": "bench-delay-v1", "definitionId": "bench-delay", "name": "Bench delay", "version": 1, "isPublished": true, "isLatest": true,
          "root": { "id": "fc", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "start1", "type": "Elsa.Start", "version": 1 },
              { "id": "delay1", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "1.00:00:00" } } },
              { "id": "write1", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "a day later" } } },
              { "id": "end1", "type": "Elsa.End", "version": 1 }
            ],
            "connections": [
              { "source": { "activity": "start1", "port": "Done" }, "target": { "activity": "delay1", "port": "In" } },
              { "source": { "activity": "delay1", "port": "Done" }, "target": { "activity": "write1", "port": "In" } },
              { "source": { "activity": "write1", "port": "Done" }, "target": { "activity": "end1", "port": "In" } }
            ]
          }
        }
        """;

    private DbConnection OpenConnection()
    {
        DbConnection c = _database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(_database.ConnectionString)
            : new NpgsqlConnection(_database.ConnectionString);
        c.Open();
        if (c is SqliteConnection)
        {
            using var pragma = c.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
        }
        return c;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var c = OpenConnection();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<long> QuartzTriggerCountAsync()
    {
        try
        {
            return await ScalarAsync(_database.Provider == DatabaseProvider.Sqlite
                ? "SELECT COUNT(*) FROM QRTZ_TRIGGERS"
                : "SELECT COUNT(*) FROM qrtz_triggers");
        }
        catch (DbException)
        {
            return -1;
        }
    }

    private async Task<List<string>> OpenRealTaskIdsAsync()
    {
        var factory = _host!.Services.GetRequiredService<TaskDbContextFactory>();
        await using var db = factory.Create();
        return await db.Tasks.Where(t => t.Status == HumanTaskStatus.Open && !t.Id.StartsWith(FakeTaskPrefix))
            .OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
    }

    /// <summary>Bytes the database uses: SQLite pages in use (page_count − freelist_count) × page_size; PostgreSQL database size.</summary>
    private async Task<long> DatabaseBytesAsync()
    {
        if (_database.Provider == DatabaseProvider.Postgres) return await ScalarAsync("SELECT pg_database_size(current_database())");
        var pages = await ScalarAsync("PRAGMA page_count");
        var free = await ScalarAsync("PRAGMA freelist_count");
        var size = await ScalarAsync("PRAGMA page_size");
        return (pages - free) * size;
    }

    /// <summary>Per table (lower-case name), the summed size of its row values as SQLite stores them (no indexes, no page overhead).</summary>
    private async Task<Dictionary<string, long>> RowValueBytesAsync()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var c = OpenConnection();
        var tables = new List<string>();
        await using (var list = c.CreateCommand())
        {
            list.CommandText = _database.Provider == DatabaseProvider.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            var columns = new List<string>();
            await using (var info = c.CreateCommand())
            {
                info.CommandText = _database.Provider == DatabaseProvider.Sqlite
                    ? $"SELECT name FROM pragma_table_info('{table}')"
                    : $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema()";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
            }
            if (columns.Count == 0) continue;
            var terms = columns.Select(col => _database.Provider == DatabaseProvider.Sqlite
                ? $"(CASE typeof(\"{col}\") WHEN 'integer' THEN (CASE WHEN \"{col}\" IN (0, 1) THEN 0 WHEN \"{col}\" BETWEEN -128 AND 127 THEN 1 " +
                  $"WHEN \"{col}\" BETWEEN -32768 AND 32767 THEN 2 WHEN \"{col}\" BETWEEN -8388608 AND 8388607 THEN 3 WHEN \"{col}\" BETWEEN -2147483648 AND 2147483647 THEN 4 " +
                  $"WHEN \"{col}\" BETWEEN -140737488355328 AND 140737488355327 THEN 6 ELSE 8 END) WHEN 'real' THEN 8 WHEN 'null' THEN 0 " +
                  $"ELSE length(CAST(\"{col}\" AS BLOB)) END)"
                : $"COALESCE(pg_column_size(\"{col}\"), 0)");
            await using var sum = c.CreateCommand();
            sum.CommandText = $"SELECT COALESCE(SUM({string.Join(" + ", terms)}), 0) FROM \"{table}\"";
            result[table.ToLowerInvariant()] = Convert.ToInt64(await sum.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>Open tasks straight into the task table (one transaction, one prepared statement): the overdue query's haystack.</summary>
    private async Task InsertOpenTasksAsync(int count, DateTimeOffset now)
    {
        if (count <= 0) return;
        await using var c = OpenConnection();
        await using var tx = await c.BeginTransactionAsync();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO "HumanTasks" ("Id", "Title", "Role", "InstanceId", "ActivityInstanceId", "ActivityId", "BookmarkKey", "DueAt", "DueOrder",
                                      "Status", "AllowedOutcomesJson", "CreatedAt", "Version")
            VALUES (@id, 'Review the case', 'worker', @instance, @id, 'review1', @id, @due, @due, 'Open', '["Approved","Rejected"]', @created, 1)
            """;
        var id = cmd.CreateParameter(); id.ParameterName = "@id"; cmd.Parameters.Add(id);
        var instance = cmd.CreateParameter(); instance.ParameterName = "@instance"; cmd.Parameters.Add(instance);
        var due = cmd.CreateParameter(); due.ParameterName = "@due"; cmd.Parameters.Add(due);
        var created = cmd.CreateParameter(); created.ParameterName = "@created"; cmd.Parameters.Add(created);
        created.Value = now.UtcTicks;
        await cmd.PrepareAsync();
        for (var i = 0; i < count; i++)
        {
            id.Value = FakeTaskPrefix + i.ToString("D7", CultureInfo.InvariantCulture);
            instance.Value = "bench-instance-" + i.ToString("D7", CultureInfo.InvariantCulture);
            due.Value = (now + TimeSpan.FromDays(i % 100 - 50) + TimeSpan.FromSeconds(i % 86_400)).UtcTicks;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    // ---------------------------------------------------------------- report

    private void Row(string metric, string value, string target, string note) => _rows.Add((metric, value, target, note));

    private void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine($"## Exit bench — {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{DatabaseDescription()}; {options.Concurrency} callers; {RuntimeDescription()}");
        Console.WriteLine();
        Console.WriteLine("| metric | figure | target | notes |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (metric, value, target, note) in _rows)
            Console.WriteLine($"| {metric} | {value} | {target} | {note} |");
    }

    private static string RuntimeDescription() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {(IsRelease() ? "Release" : "Debug")}";

    private static bool IsRelease()
    {
#if DEBUG
        return false;
#else
        return true;
#endif
    }
}
