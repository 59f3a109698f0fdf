using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Runtime;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Exit.Host.Tests.Alterations;

/// <summary>
/// A real Host process runs a submitted plan migrating 1,000 instances and is SIGKILLed midway. In the file it leaves,
/// every instance is either on v1 with its job pending or on v2 with its job completed: never in between. Started again,
/// the Host finishes the plan: every instance on v2, altered exactly once, its open task still there once.
/// </summary>
public sealed class BulkMigrationCrashTests : IDisposable
{
    private const int Instances = 1000;
    private const string DefinitionId = "bulk-crash";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-alteration-crash", Guid.NewGuid().ToString("N"));

    public BulkMigrationCrashTests() => Directory.CreateDirectory(_directory);

    private static string Flow(bool withExtraStep) => $$"""
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "ask", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Ring tilbage" } } },
          {{(withExtraStep ? """{ "id": "extra", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "nyt trin" } } },""" : "")}}
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" } },
          {{(withExtraStep
              ? """{ "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "extra", "port": "In" } }, { "source": { "activity": "extra", "port": "Done" }, "target": { "activity": "end", "port": "In" } }"""
              : """{ "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "end", "port": "In" } }""")}}
        ]
        """;

    [Fact]
    public async Task Sigkill_DuringBulkMigration_EachInstanceWholeOnOneVersionAndThePlanCompletesAfterRestart()
    {
        var database = Path.Combine(_directory, "exit.db");
        string planId;
        using (var first = await HostProcess.StartAsync(database, Path.Combine(_directory, "first.log")))
        {
            using var client = first.CreateClient();
            await WorkflowApi.ImportAsync(client, WorkflowApi.Definition(DefinitionId, Flow(withExtraStep: false)));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async lane =>
            {
                for (var i = lane; i < Instances; i += 4) await WorkflowApi.ExecuteAsync(client, DefinitionId, $"bulk-{i}");
            }));
            await WorkflowApi.ImportAsync(client, WorkflowApi.Definition(DefinitionId, Flow(withExtraStep: true)).Replace("\"version\": 1,\n", "\"version\": 2,\n"));

            var submit = await client.PostAsJsonAsync("/elsa/api/alterations/submit", new
            {
                alterations = new object[] { new { type = "Migrate", targetVersion = 2 } },
                filter = new { definitionIds = new[] { DefinitionId } },
            });
            submit.EnsureSuccessStatusCode();
            planId = (string)(await submit.Content.ReadFromJsonAsync<JsonObject>())!["planId"]!;

            // Kill once some, but not all, instances are done.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (CompletedJobs(database) < 20)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("the plan made no progress");
                await Task.Delay(20);
            }
            first.Kill();
        }

        var (onV2, pendingOnV1, mismatched) = Consistency(database);
        Assert.Empty(mismatched);
        Assert.True(onV2 > 0 && onV2 < Instances, $"expected a kill midway, {onV2} of {Instances} were migrated");
        Assert.Equal(Instances - onV2, pendingOnV1);

        using var second = await HostProcess.StartAsync(database, Path.Combine(_directory, "second.log"));
        using var restarted = second.CreateClient();
        JsonObject plan;
        var finish = DateTime.UtcNow + TimeSpan.FromSeconds(240);
        do
        {
            await Task.Delay(500);
            plan = (await restarted.GetFromJsonAsync<JsonObject>($"/elsa/api/alterations/{planId}"))!;
            if (DateTime.UtcNow > finish) Assert.Fail($"plan still {(string?)plan["plan"]!["status"]} after restart");
        }
        while ((string?)plan["plan"]!["status"] != "Completed");

        var jobs = plan["jobs"]!.AsArray();
        Assert.Equal(Instances, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("Completed", (string?)j!["status"]));
        var (allOnV2, stillPending, wrong) = Consistency(database);
        Assert.Empty(wrong);
        Assert.Equal(Instances, allOnV2);
        Assert.Equal(0, stillPending);
        Assert.Equal(Instances, AlteredJournalEntries(database).Count);
        Assert.All(AlteredJournalEntries(database), count => Assert.Equal(1, count));

        // A sample through the API: still waiting on its task, which completes along v2's new step.
        var sample = await restarted.GetFromJsonAsync<JsonObject>("/api/tasks?correlationId=bulk-7&status=Open");
        var task = Assert.Single(sample!["items"]!.AsArray());
        (await restarted.PostAsJsonAsync($"/api/tasks/{(string)task!["id"]!}/complete", new { outcome = "Done" })).EnsureSuccessStatusCode();
        var instanceId = (string)task["instanceId"]!;
        await WorkflowApi.WaitForSubStatusAsync(restarted, instanceId, "Finished");
        Assert.Contains(await WorkflowApi.JournalAsync(restarted, instanceId), r => (string?)r!["activityId"] == "extra" && (string?)r["eventName"] == "Completed");
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    private static int CompletedJobs(string database)
    {
        if (!File.Exists(database)) return 0;
        using var connection = Open(database);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM wf_alteration_jobs WHERE status = 1";
        try
        {
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return 0; // busy or not migrated yet
        }
    }

    /// <summary>Per instance: its version and its job's status must agree (v2 ⇔ completed, v1 ⇔ pending).</summary>
    private static (int OnV2, int PendingOnV1, List<string> Mismatched) Consistency(string database)
    {
        using var connection = Open(database);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT i.id, i.version, j.status FROM wf_instances i JOIN wf_alteration_jobs j ON j.instance_id = i.id";
        var onV2 = 0;
        var pending = 0;
        var wrong = new List<string>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var (id, version, status) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
            if (version == 2 && status == 1) onV2++;
            else if (version == 1 && status == 0) pending++;
            else wrong.Add($"{id}: version {version}, job status {status}");
        }
        return (onV2, pending, wrong);
    }

    private static List<int> AlteredJournalEntries(string database)
    {
        using var connection = Open(database);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM wf_journal WHERE event_name = 'Altered' GROUP BY instance_id";
        var counts = new List<int>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) counts.Add(reader.GetInt32(0));
        return counts;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
