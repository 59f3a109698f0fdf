using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Exit.Workflows.Testing;
using Npgsql;

namespace Exit.Host.Tests.Operations;

/// <summary>
/// The README's PostgreSQL recipe, run as written: <c>pg_dump -Fc</c> of a running Host's database, <c>pg_restore</c>
/// into a new, empty database, a new Host on it: instances, completed tasks and the Quartz triggers of their timers
/// are all there, and the timers fire on the manual clock.
/// </summary>
[RequiresPostgres]
public sealed class PostgresDumpRestoreTests
{
    public const string PostgresBin = "/usr/lib/postgresql/15/bin";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [DatabaseFact]
    public async Task PgDumpOfARunningHost_PgRestoredIntoANewDatabase_RunsOnWithItsTimers()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"exit-pgdump-{Guid.NewGuid():N}.dump");
        await using var sourceDb = await PostgresTestDatabase.CreateAsync();
        await using var targetDb = await PostgresTestDatabase.CreateAsync();
        var waiting = new List<string>();
        var open = new List<string>();
        try
        {
            using (var source = new ExitHostFactory(new ManualTimeProvider(Start), sourceDb.Options.ConnectionString))
            {
                var client = source.CreateClient();
                for (var i = 0; i < 6; i++)
                {
                    var correlation = $"pg-{i}";
                    var instanceId = await WorkflowApi.ExecuteAsync(client, "task-then-timer", correlation);
                    if (i % 2 == 1)
                    {
                        open.Add(instanceId);
                        continue;
                    }
                    var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlation}&status=Open");
                    var taskId = (string)page!["items"]!.AsArray().Single()!["id"]!;
                    Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" })).StatusCode);
                    waiting.Add(instanceId);
                }

                // While the service runs: pg_dump reads one snapshot.
                await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--file", dump, .. Connection(sourceDb.Options.ConnectionString)]);
            }

            await RunAsync("pg_restore", ["--no-owner", "--exit-on-error", .. Connection(targetDb.Options.ConnectionString), dump]);

            var clock = new ManualTimeProvider(Start);
            using var restored = new ExitHostFactory(clock, targetDb.Options.ConnectionString);
            var client2 = restored.CreateClient();
            foreach (var id in open) Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(client2, id))["subStatus"]);
            clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            foreach (var id in waiting) await WorkflowApi.WaitForSubStatusAsync(client2, id, "Finished", TimeSpan.FromSeconds(60));
            foreach (var id in open) Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(client2, id))["subStatus"]);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>Host, port, user and database as command-line options (the test server trusts local connections).</summary>
    public static string[] Connection(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        return ["--host", cs.Host!, "--port", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", cs.Username!, "--dbname", cs.Database!];
    }

    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(PostgresBin, tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
