using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Xunit.Abstractions;
using static Exit.Workflows.Tests.Persistence.StoreTestData;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// Throughput and size measurements; they only print (and append to /tmp/exit-measure.txt).
/// Run: <c>EXIT_MEASURE=1 dotnet test tests/Exit.Workflows.Tests --filter Category=Measure --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Measure")]
public abstract class StoreMeasurements(ITestOutputHelper output)
{
    private const int Callers = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    protected abstract string Label { get; }

    [MeasureFact]
    public Task Throughput_GroupCommitOn() => MeasureThroughputAsync(groupCommit: true);

    [MeasureFact]
    public Task Throughput_GroupCommitOff() => MeasureThroughputAsync(groupCommit: false);

    private async Task MeasureThroughputAsync(bool groupCommit)
    {
        await using var h = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync(), o =>
        {
            o.GroupCommit = groupCommit;
            if (Environment.GetEnvironmentVariable("EXIT_MEASURE_CHECKPOINT_EVERY") is { } every)
                o.SqliteCheckpointEvery = int.Parse(every, CultureInfo.InvariantCulture);
        });
        await h.Instances.CommitAsync(StartCommit(), default); // warm-up

        // Starts: a new instance waiting on one bookmark, with six journal records.
        var started = new List<WorkflowInstance>[Callers];
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            var mine = started[c] = new List<WorkflowInstance>();
            while (sw.Elapsed < Duration)
            {
                var commit = StartCommit();
                await h.Instances.CommitAsync(commit, default);
                mine.Add(commit.Instance);
            }
        })));
        var starts = started.Sum(l => l.Count) / sw.Elapsed.TotalSeconds;
        process.Refresh();
        var startCpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / started.Sum(l => l.Count);
        cpu = process.TotalProcessorTime;
        Report("  writer after starts: " + ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)h.Instances).WriterStatistics);

        // Completions: resume each instance (expected version 1), remove its bookmark, finish it, three journal records.
        var completed = 0;
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            foreach (var instance in started[c])
            {
                if (sw.Elapsed >= Duration) break;
                var bookmarks = await h.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), default);
                instance.Status = WorkflowStatus.Finished;
                instance.SubStatus = WorkflowSubStatus.Finished;
                instance.FinishedAt = T0.AddMinutes(1);
                instance.ActivityInstances.RemoveAt(1);
                await h.Instances.CommitAsync(new InstanceCommit(instance, instance.ConcurrencyVersion, [], [bookmarks[0].Id],
                    JournalRecords(instance.Id, 3, first: 6), []), default);
                Interlocked.Increment(ref completed);
            }
        })));
        var completions = completed / sw.Elapsed.TotalSeconds;
        process.Refresh();
        var completionCpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, completed);
        Report("  writer after completions (cumulative): " + ((Exit.Workflows.Persistence.EntityFramework.EfWorkflowInstanceStore)h.Instances).WriterStatistics);
        Report($"{Label} group commit {(groupCommit ? "ON " : "OFF")}, {Callers} callers, {Environment.ProcessorCount} cores: " +
               $"starts {starts:F0}/s (instance + 1 bookmark + 6 journal rows), completions {completions:F0}/s " +
               "(find bookmark + conditional update + bookmark delete + 3 journal rows)" +
               $" [checkpoint every {h.Options.SqliteCheckpointEvery}]; process CPU per start {startCpuMs:F3} ms, per completion {completionCpuMs:F3} ms" +
               $" (2-core CPU bound: {2000 / startCpuMs:F0} starts/s, {2000 / completionCpuMs:F0} completions/s); load average {LoadAverage()}");
    }

    [MeasureFact]
    public async Task ReadLatency_SingleCaller()
    {
        await using var h = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        var commits = Enumerable.Range(0, 200).Select(_ => StartCommit()).ToList();
        await Task.WhenAll(commits.Select(c => h.Instances.CommitAsync(c, default)));
        const int runs = 4000;
        foreach (var c in commits) await h.Instances.FindAsync(c.Instance.Id, default); // warm-up
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) await h.Instances.FindAsync(commits[i % commits.Count].Instance.Id, default);
        var find = sw.Elapsed.TotalMilliseconds * 1000 / runs;
        process.Refresh();
        var findCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / runs;
        cpu = process.TotalProcessorTime;
        sw.Restart();
        for (var i = 0; i < runs; i++) await h.Instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: commits[i % commits.Count].Instance.Id), default);
        var bookmarks = sw.Elapsed.TotalMilliseconds * 1000 / runs;
        process.Refresh();
        var bookmarksCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / runs;
        Report($"{Label}: FindAsync {find:F0} µs ({findCpu:F0} µs CPU), FindBookmarksAsync(InstanceId) {bookmarks:F0} µs ({bookmarksCpu:F0} µs CPU); load average {LoadAverage()}");
    }

    [MeasureFact]
    public async Task BytesPerWaitingInstance()
    {
        const int count = 5000;
        await using var h = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        var before = await StoredBytesAsync(h);
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            for (var i = c; i < count; i += Callers) await h.Instances.CommitAsync(StartCommit(), default);
        })));
        var after = await StoredBytesAsync(h);
        var sample = StartCommit();
        Report($"{Label}: {(after - before) / (double)count:F0} bytes stored per waiting instance (header + state + 1 bookmark + 6 journal rows, " +
               $"indexes and page overhead included; state JSON alone {Serialize(sample.Instance).Length} chars)");
    }

    [MeasureFact]
    public async Task DueTimerQuery_At100kBookmarks()
    {
        const int rows = 100_000;
        await using var h = await PersistenceHarness.CreateAsync(await CreateDatabaseAsync());
        await BulkInsertTimersAsync(h, rows);
        var due = T0.AddSeconds(rows / 100); // 1 % due
        await h.Instances.FindBookmarksAsync(new BookmarkFilter(DueBefore: due) { Take = 100 }, default); // warm-up
        var sw = Stopwatch.StartNew();
        const int runs = 50;
        IReadOnlyList<Bookmark> page = [];
        for (var i = 0; i < runs; i++) page = await h.Instances.FindBookmarksAsync(new BookmarkFilter(DueBefore: due) { Take = 100 }, default);
        var firstPage = sw.Elapsed.TotalMilliseconds / runs;
        sw.Restart();
        var allDue = await h.Instances.FindBookmarksAsync(new BookmarkFilter(DueBefore: due), default);
        var allDueMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var all = await h.Instances.FindBookmarksAsync(new BookmarkFilter(DueBefore: T0.AddDays(30)) { Take = 100 }, default);
        var overdueAllMs = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(100, page.Count);
        Assert.Equal(100, all.Count);
        Report($"{Label}: {rows} timer bookmarks: first 100 due {firstPage:F2} ms, all {allDue.Count} due {allDueMs:F1} ms, " +
               $"first 100 when every row is due {overdueAllMs:F1} ms");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string Serialize(WorkflowInstance instance) => Exit.Workflows.Persistence.EntityFramework.InstanceStateSerializer.Serialize(instance);

    private static async Task BulkInsertTimersAsync(PersistenceHarness h, int rows)
    {
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO wf_bookmarks (id, instance_id, activity_instance_id, activity_node_id, kind, key, correlation_id, due_at, created_at, payload) " +
                          "VALUES (@id, @instance, 'ai-wait', 'Workflow1:Flowchart1:Delay1', 'Elsa.Delay', NULL, NULL, @due, @created, NULL)";
        var id = Add(cmd, "@id");
        var instance = Add(cmd, "@instance");
        var dueAt = Add(cmd, "@due");
        var created = Add(cmd, "@created");
        var random = new Random(7);
        for (var i = 0; i < rows; i++)
        {
            id.Value = "timer-" + i.ToString("D7", CultureInfo.InvariantCulture);
            instance.Value = "inst-" + i.ToString("D7", CultureInfo.InvariantCulture);
            dueAt.Value = T0.AddSeconds(random.Next(0, rows)).UtcTicks;
            created.Value = T0.UtcTicks;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static DbParameter Add(DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>Bytes the store's tables occupy (SQLite: file size after a WAL checkpoint; PostgreSQL: total relation sizes).</summary>
    protected abstract Task<long> StoredBytesAsync(PersistenceHarness h);

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText("/tmp/exit-measure.txt", $"{line}\n");
    }

    protected static async Task<long> ScalarAsync(PersistenceHarness h, string sql)
    {
        await using var db = await h.ContextFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

public sealed class SqliteStoreMeasurements(ITestOutputHelper output) : StoreMeasurements(output)
{
    protected override string Label => "SQLite file (WAL, synchronous=FULL)";

    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());

    protected override async Task<long> StoredBytesAsync(PersistenceHarness h)
    {
        await ScalarAsync(h, "PRAGMA wal_checkpoint(TRUNCATE)");
        return new FileInfo(((SqliteTestDatabase)h.Database).Path).Length;
    }
}

[RequiresPostgres]
public sealed class PostgresStoreMeasurements(ITestOutputHelper output) : StoreMeasurements(output)
{
    protected override string Label => "PostgreSQL 15 (local)";

    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();

    protected override async Task<long> StoredBytesAsync(PersistenceHarness h)
    {
        return await ScalarAsync(h, "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                                    "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'wf\\_%'");
    }
}
