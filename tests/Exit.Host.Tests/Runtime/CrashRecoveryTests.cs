using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Exit.Host.Tests.Runtime;

/// <summary>
/// SIGKILL the Host while instances wait on timers and tasks, start it again on the same SQLite file: every
/// timer fires exactly once, every task is still open exactly once. Some triggers are also deleted while the
/// process is down, as a crash between the commit and the scheduling of a timer would leave them.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Instances = 12;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-crash-tests", Guid.NewGuid().ToString("N"));

    public CrashRecoveryTests() => Directory.CreateDirectory(_directory);

    private const string TimerFlow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "String", "expression": { "type": "Literal", "value": "00:00:08" } } },
          { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "timer fired" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
          { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "say", "port": "In" } },
          { "source": { "activity": "say", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    private const string TaskFlow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "ask", "type": "Exit.HumanTask", "version": 1, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Call back" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" } },
          { "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    [Fact]
    public async Task Sigkill_WhileWaitingOnTimersAndTasks_RestartFiresEachTimerOnceAndKeepsEachTaskOnce()
    {
        var database = Path.Combine(_directory, "exit.db");
        var timerInstances = new List<string>();
        var taskInstances = new List<string>();

        using (var first = await HostProcess.StartAsync(database, Path.Combine(_directory, "first.log")))
        {
            using var client = first.CreateClient();
            await WorkflowApi.ImportAsync(client, WorkflowApi.Definition("crash-timer", TimerFlow));
            await WorkflowApi.ImportAsync(client, WorkflowApi.Definition("crash-task", TaskFlow));
            for (var i = 0; i < Instances; i++)
            {
                timerInstances.Add(await WorkflowApi.ExecuteAsync(client, "crash-timer", $"timer-{i}"));
                taskInstances.Add(await WorkflowApi.ExecuteAsync(client, "crash-task", $"task-{i}"));
            }

            first.Kill();
        }

        // What a crash between commit and scheduling leaves behind: bookmarks without triggers.
        var deleted = DeleteSomeTimerTriggers(database);
        Assert.True(deleted > 0, "the test expects Quartz triggers in the database to delete");

        using var second = await HostProcess.StartAsync(database, Path.Combine(_directory, "second.log"));
        using var restarted = second.CreateClient();

        foreach (var id in timerInstances)
        {
            await WorkflowApi.WaitForSubStatusAsync(restarted, id, "Finished", TimeSpan.FromSeconds(60));
            var journal = await WorkflowApi.JournalAsync(restarted, id);
            Assert.Single(journal, r => (string?)r!["activityId"] == "say" && (string?)r["eventName"] == "Completed");
        }

        for (var i = 0; i < Instances; i++)
        {
            var instance = await WorkflowApi.InstanceAsync(restarted, taskInstances[i]);
            Assert.Equal("Suspended", (string?)instance["subStatus"]);
            Assert.Single(instance["workflowState"]!["bookmarks"]!.AsArray());
            var tasks = await restarted.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId=task-{i}");
            var open = Assert.Single(tasks!["items"]!.AsArray());
            Assert.Equal("Open", (string?)open!["status"]);
        }
    }

    private static int DeleteSomeTimerTriggers(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM QRTZ_TRIGGERS ORDER BY TRIGGER_NAME";
        var keys = new List<(string Name, string Group)>();
        using (var reader = select.ExecuteReader())
            while (reader.Read()) keys.Add((reader.GetString(0), reader.GetString(1)));

        var victims = keys.Where((_, index) => index % 2 == 0).ToList();
        foreach (var (name, group) in victims)
        {
            foreach (var table in new[] { "QRTZ_SIMPLE_TRIGGERS", "QRTZ_TRIGGERS" })
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = $"DELETE FROM {table} WHERE TRIGGER_NAME = $n AND TRIGGER_GROUP = $g";
                delete.Parameters.AddWithValue("$n", name);
                delete.Parameters.AddWithValue("$g", group);
                delete.ExecuteNonQuery();
            }
        }

        return victims.Count;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
