using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace Exit.Host.Tests.Alterations;

public sealed class BulkMigrationCrashOnSqliteTests : BulkMigrationCrashTests
{
    private readonly string _file;

    public BulkMigrationCrashOnSqliteTests() => _file = Path.Combine(Directory, "exit.db");

    protected override IReadOnlyDictionary<string, string> DatabaseSettings => new Dictionary<string, string>
    {
        ["Exit__Database__Provider"] = "Sqlite",
        ["Exit__Database__SqlitePath"] = _file,
    };

    protected override DbConnection? Open()
    {
        if (!File.Exists(_file)) return null;
        var connection = new SqliteConnection($"Data Source={_file};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    public override async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await base.DisposeAsync();
    }
}

[RequiresPostgres]
public sealed class BulkMigrationCrashOnPostgresTests : BulkMigrationCrashTests
{
    private PostgresTestDatabase? _database;

    public override async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    protected override IReadOnlyDictionary<string, string> DatabaseSettings => new Dictionary<string, string>
    {
        ["Exit__Database__Provider"] = "Postgres",
        ["Exit__Database__ConnectionString"] = _database!.Options.ConnectionString!,
    };

    protected override DbConnection? Open()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database!.Options.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// A real Host process runs a submitted plan migrating 1,000 instances and is SIGKILLed midway. In the database it leaves,
/// every instance is either on v1 with its job pending and no audit entry of the plan, or on v2 with its job completed and
/// exactly one: never in between. Started again, the Host finishes the plan: every instance on v2, altered (and audited)
/// exactly once, its open task still there once. On a SQLite file and on PostgreSQL.
/// </summary>
public abstract class BulkMigrationCrashTests : IAsyncLifetime
{
    private const int Instances = 1000;
    private const string DefinitionId = "bulk-crash";

    protected BulkMigrationCrashTests() => System.IO.Directory.CreateDirectory(Directory);

    protected string Directory { get; } = Path.Combine(Path.GetTempPath(), "exit-alteration-crash", Guid.NewGuid().ToString("N"));

    /// <summary>The Host's database settings (environment variables).</summary>
    protected abstract IReadOnlyDictionary<string, string> DatabaseSettings { get; }

    /// <summary>A read connection to the Host's database, or null while it does not exist yet.</summary>
    protected abstract DbConnection? Open();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

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

    [DatabaseFact]
    public async Task Sigkill_DuringBulkMigration_EachInstanceWholeOnOneVersionAndThePlanCompletesAfterRestart()
    {
        string planId;
        using (var first = await HostProcess.StartAsync(DatabaseSettings, Path.Combine(Directory, "first.log")))
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
            while (CompletedJobs() < 20)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("the plan made no progress");
                await Task.Delay(20);
            }
            first.Kill();
        }

        var (onV2, pendingOnV1, mismatched) = Consistency(planId);
        Assert.Empty(mismatched);
        Assert.True(onV2 > 0 && onV2 < Instances, $"expected a kill midway, {onV2} of {Instances} were migrated");
        Assert.Equal(Instances - onV2, pendingOnV1);

        using var second = await HostProcess.StartAsync(DatabaseSettings, Path.Combine(Directory, "second.log"));
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
        var (allOnV2, stillPending, wrong) = Consistency(planId);
        Assert.Empty(wrong);
        Assert.Equal(Instances, allOnV2);
        Assert.Equal(0, stillPending);
        Assert.Equal(Instances, AlteredJournalEntries().Count);
        Assert.All(AlteredJournalEntries(), count => Assert.Equal(1, count));

        // A sample through the API: still waiting on its task, which completes along v2's new step.
        var sample = await restarted.GetFromJsonAsync<JsonObject>("/api/tasks?correlationId=bulk-7&status=Open");
        var task = Assert.Single(sample!["items"]!.AsArray());
        (await restarted.PostAsJsonAsync($"/api/tasks/{(string)task!["id"]!}/complete", new { outcome = "Done" })).EnsureSuccessStatusCode();
        var instanceId = (string)task["instanceId"]!;
        await WorkflowApi.WaitForSubStatusAsync(restarted, instanceId, "Finished");
        Assert.Contains(await WorkflowApi.JournalAsync(restarted, instanceId), r => (string?)r!["activityId"] == "extra" && (string?)r["eventName"] == "Completed");
    }

    private int CompletedJobs()
    {
        try
        {
            using var connection = Open();
            if (connection is null) return 0;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM wf_alteration_jobs WHERE status = 1";
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        catch (DbException)
        {
            return 0; // busy or not migrated yet
        }
    }

    /// <summary>
    /// Per instance: its version, its job's status and its audit entries of the plan must agree (v2 ⇔ completed ⇔ one
    /// entry, v1 ⇔ pending ⇔ none).
    /// </summary>
    private (int OnV2, int PendingOnV1, List<string> Mismatched) Consistency(string planId)
    {
        using var connection = Open()!;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT i.id, i.version, j.status,
              (SELECT COUNT(*) FROM "ExitAuditEntries" a WHERE a."ResourceType" = 'workflow-instance' AND a."ResourceId" = i.id AND a."Purpose" LIKE @plan)
            FROM wf_instances i JOIN wf_alteration_jobs j ON j.instance_id = i.id
            """;
        var plan = cmd.CreateParameter();
        plan.ParameterName = "plan";
        plan.Value = $"%alteration plan {planId} %";
        cmd.Parameters.Add(plan);
        var onV2 = 0;
        var pending = 0;
        var wrong = new List<string>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var (id, version, status, audited) = (reader.GetString(0), Convert.ToInt32(reader.GetValue(1)), Convert.ToInt32(reader.GetValue(2)),
                Convert.ToInt32(reader.GetValue(3)));
            if (version == 2 && status == 1 && audited == 1) onV2++;
            else if (version == 1 && status == 0 && audited == 0) pending++;
            else wrong.Add($"{id}: version {version}, job status {status}, {audited} audit entries");
        }
        return (onV2, pending, wrong);
    }

    private List<int> AlteredJournalEntries()
    {
        using var connection = Open()!;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM wf_journal WHERE event_name = 'Altered' GROUP BY instance_id";
        var counts = new List<int>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) counts.Add(Convert.ToInt32(reader.GetValue(0)));
        return counts;
    }
}
