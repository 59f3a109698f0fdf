using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Backup;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;

namespace Exit.Host.Tests.Operations;

/// <summary>
/// <c>backup --to</c> and <c>restore --from</c> as an operator runs them (the Host's own command line, a separate
/// process) against the SQLite file of a real Host under load, and the restored file in a new Host on a manual clock.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-backup-tests", Guid.NewGuid().ToString("N"));

    public BackupRestoreTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task BackupUnderLoad_RestoredIntoANewHost_HasEveryAcknowledgedStep_AndItsTimersFire()
    {
        var backup = Path.Combine(_directory, "exit-backup.db");
        var startsBefore = new ConcurrentBag<(string Correlation, string InstanceId)>();
        var completionsBefore = new ConcurrentBag<(string Correlation, string InstanceId)>();
        var acknowledgedAfter = 0;
        var backupBegan = long.MaxValue;

        using (var source = new ExitHostFactory(new ManualTimeProvider(Start)))
        {
            var client = source.CreateClient();
            using var stop = new CancellationTokenSource();
            // Four clients start courses of work and complete their tasks through the HTTP API until told to stop.
            var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var correlation = $"load-{worker}-{i}";
                    var instanceId = await WorkflowApi.ExecuteAsync(client, "task-then-timer", correlation);
                    Record(startsBefore, correlation, instanceId);
                    var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlation}&status=Open");
                    var taskId = (string)page!["items"]!.AsArray().Single()!["id"]!;
                    var completed = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" });
                    Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
                    Record(completionsBefore, correlation, instanceId);
                }
            })).ToList();

            void Record(ConcurrentBag<(string, string)> before, string correlation, string instanceId)
            {
                // Acknowledged (the response is in) before the backup began, or not: only the former must be in the backup.
                if (Stopwatch.GetTimestamp() < Interlocked.Read(ref backupBegan)) before.Add((correlation, instanceId));
                else Interlocked.Increment(ref acknowledgedAfter);
            }

            var warmUp = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (completionsBefore.Count < 20 && !load.Any(t => t.IsFaulted) && DateTime.UtcNow < warmUp) await Task.Delay(100);
            if (load.FirstOrDefault(t => t.IsFaulted) is { } failed) await failed;
            Assert.True(completionsBefore.Count >= 20, "the load did not get going");
            Interlocked.Exchange(ref backupBegan, Stopwatch.GetTimestamp());
            var (code, output) = await RunHostCommandAsync(source.DatabasePath, "backup", "--to", backup);
            Assert.True(code == 0, output);
            Assert.Contains("Backup written", output, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await Task.WhenAll(load);
            Assert.True(acknowledgedAfter > 0, "the load did not run on while the backup was taken");
        }

        // A new host's (empty) place: restore there, then start it.
        var clock = new ManualTimeProvider(Start);
        using var restored = new ExitHostFactory(clock);
        var (restoreCode, restoreOutput) = await RunHostCommandAsync(restored.DatabasePath, "restore", "--from", backup);
        Assert.True(restoreCode == 0, restoreOutput);
        var client2 = restored.CreateClient();

        foreach (var (correlation, instanceId) in startsBefore)
            Assert.Equal(HttpStatusCode.OK, (await client2.GetAsync($"/elsa/api/workflow-instances/{instanceId}")).StatusCode);
        foreach (var (correlation, instanceId) in completionsBefore)
        {
            var tasks = await client2.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlation}");
            Assert.Equal("Completed", (string?)tasks!["items"]!.AsArray().Single()!["status"]);
            var instance = await WorkflowApi.InstanceAsync(client2, instanceId);
            Assert.Equal("Elsa.Delay", (string?)instance["workflowState"]!["bookmarks"]!.AsArray().Single()!["name"]);
        }

        // The day-long timers of the completed tasks are in the restored file too: a day later they all fire.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        foreach (var (_, instanceId) in completionsBefore)
            await WorkflowApi.WaitForSubStatusAsync(client2, instanceId, "Finished", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Restore_IsRefused_WhileTheServiceRuns_AndForAFileThatIsNoBackup()
    {
        using var host = new ExitHostFactory(new ManualTimeProvider(Start));
        _ = host.CreateClient(); // started: it holds the service lock
        var backup = Path.Combine(_directory, "b.db");
        var database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={host.DatabasePath}" };
        var output = new StringWriter();
        Assert.Equal(0, await DatabaseCommand.RunAsync(new DatabaseCommand.Arguments("backup", backup), database, output));
        Assert.Equal(1, await DatabaseCommand.RunAsync(new DatabaseCommand.Arguments("backup", backup), database, output));
        Assert.Contains("never overwrites", output.ToString(), StringComparison.Ordinal);

        var before = await File.ReadAllBytesAsync(host.DatabasePath);
        Assert.Equal(1, await DatabaseCommand.RunAsync(new DatabaseCommand.Arguments("restore", backup), database, output));
        Assert.Contains("the service is running", output.ToString(), StringComparison.Ordinal);

        var garbage = Path.Combine(_directory, "not-a-backup.db");
        await File.WriteAllTextAsync(garbage, "this is not a database");
        var elsewhere = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_directory, "other.db")}" };
        Assert.Equal(1, await DatabaseCommand.RunAsync(new DatabaseCommand.Arguments("restore", garbage), elsewhere, output));
        Assert.Contains("not a readable SQLite database", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "other.db")));
        Assert.Equal(before.Length, (await File.ReadAllBytesAsync(host.DatabasePath)).Length);
    }

    /// <summary>The Host's command line, as <c>dotnet run --project src/Host -- …</c> runs it, on the given SQLite file.</summary>
    private static async Task<(int Code, string Output)> RunHostCommandAsync(string databasePath, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostProcess.HostAssemblyPath())!,
        };
        info.ArgumentList.Add(HostProcess.HostAssemblyPath());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["Exit__Database__Provider"] = "Sqlite";
        info.Environment["Exit__Database__SqlitePath"] = databasePath;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout + await stderr);
    }
}
