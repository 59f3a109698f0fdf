using System.Diagnostics;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>Measures (prints, does not assert) what the participant costs inside batched runtime commits.</summary>
public sealed class TaskThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ApplyAsync_CompletionsInBatchedCommits_MeasuredRate()
    {
        const int tasks = 10_000;
        const int batch = 100;
        var due = _db.Clock.GetUtcNow().AddDays(1);
        // Warm-up (model, pools, JIT) outside the measurement.
        await _db.CommitAsync(TaskDatabase.Created("warm-up", due), new TaskCompleted("warm-up", "Approve", null, null, due));
        var created = await InBatchesAsync(tasks, batch, i => TaskDatabase.Created($"t{i:D5}", due));
        output.WriteLine($"{tasks} creations, {batch} per transaction, one ApplyAsync + savepoint each: {created}");

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await using (var connection = _db.Open())
        {
            for (var b = 0; b < tasks / batch; b++)
            {
                await using var tx = connection.BeginTransaction();
                var commit = new CommitContext(connection, tx, DatabaseProvider.Sqlite);
                for (var i = b * batch; i < (b + 1) * batch; i++)
                {
                    // One ApplyAsync per instance commit inside the batch, each in its own savepoint, as the runtime may do.
                    tx.Save("burst");
                    await _db.Participant.ApplyAsync(commit,
                        [new TaskCompleted($"t{i:D5}", "Approve", System.Text.Json.Nodes.JsonNode.Parse("""{"note":"done"}"""), "anna", due)],
                        CancellationToken.None);
                    tx.Release("burst");
                }

                await tx.CommitAsync();
            }
        }

        sw.Stop();
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / tasks;
        output.WriteLine($"{tasks} completions, {batch} per transaction, one ApplyAsync + savepoint each: {tasks / sw.Elapsed.TotalSeconds:F0}/s wall " +
                         $"({sw.Elapsed.TotalMilliseconds * 1000 / tasks:F0} µs wall, {cpuUs:F0} µs process CPU each; load average {LoadAverage()}), SQLite file (WAL)");

        await using var db = _db.Contexts.Create();
        Assert.Equal(tasks + 1, await db.Tasks.CountAsync(t => t.Status == HumanTaskStatus.Completed));
    }

    private async Task<string> InBatchesAsync(int count, int batch, Func<int, object> effect)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await using (var connection = _db.Open())
        {
            for (var b = 0; b < count / batch; b++)
            {
                await using var tx = connection.BeginTransaction();
                var commit = new CommitContext(connection, tx, DatabaseProvider.Sqlite);
                for (var i = b * batch; i < (b + 1) * batch; i++)
                {
                    tx.Save("burst");
                    await _db.Participant.ApplyAsync(commit, [effect(i)], CancellationToken.None);
                    tx.Release("burst");
                }

                await tx.CommitAsync();
            }
        }

        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / count;
        return $"{count / sw.Elapsed.TotalSeconds:F0}/s wall ({sw.Elapsed.TotalMilliseconds * 1000 / count:F0} µs wall, {cpuUs:F0} µs process CPU each; load average {LoadAverage()})";
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
