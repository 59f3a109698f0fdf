using System.Linq.Expressions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Exit.Workflows.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Alterations;

public sealed class MigrationOnSqliteTests() : MigrationTests(new SqliteHostDatabase());

[RequiresPostgres]
public sealed class MigrationOnPostgresTests() : MigrationTests(new PostgresHostDatabase());

/// <summary>
/// Elsa's alterations through the real Host, store and Quartz scheduler with an injected clock: 50 instances of v1 in four
/// different places (first task, 30-day timer, second task, a step v2 removes) migrate to a v2 that adds a step after
/// the timer. Open tasks keep their ids, timers their due times, variables their values; the new step is raised where v2
/// puts it; an instance waiting on the removed step is named by the dry run and left on v1.
/// </summary>
public abstract class MigrationTests(IHostDatabase database) : IAsyncLifetime
{
    private const string DefinitionId = "alteration-course";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static string Definition(int version, bool withNewStep)
    {
        var task2Source = withNewStep ? "newstep" : "timer1";
        var legacy = withNewStep ? "" : """
            { "id": "legacy", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Gammelt trin" } } },
            """;
        var newStep = withNewStep ? """
            { "id": "newstep", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Nyt trin" } } },
            """ : "";
        var afterTask2 = withNewStep ? "end" : "legacy";
        var legacyConnection = withNewStep ? "" : """
            { "source": { "activity": "legacy", "port": "Done" }, "target": { "activity": "end", "port": "In" } },
            """;
        var newStepConnection = withNewStep ? """
            { "source": { "activity": "timer1", "port": "Done" }, "target": { "activity": "newstep", "port": "In" } },
            """ : "";
        return $$"""
            {
              "definitionId": "{{DefinitionId}}", "name": "{{DefinitionId}}", "version": {{version}}, "isPublished": true,
              "variables": [ { "id": "contacts", "name": "contacts", "typeName": "Int32", "isArray": false, "value": "{{(version == 1 ? 7 : 0)}}" } ],
              "root": { "id": "fc", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Start", "version": 1 },
                  { "id": "task1", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Første kontakt" } } },
                  { "id": "timer1", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "String", "expression": { "type": "Literal", "value": "P30D" } } },
                  {{newStep}}
                  { "id": "task2", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Fase" } } },
                  {{legacy}}
                  { "id": "end", "type": "Elsa.End", "version": 1 }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "task1", "port": "In" } },
                  { "source": { "activity": "task1", "port": "Done" }, "target": { "activity": "timer1", "port": "In" } },
                  {{newStepConnection}}
                  { "source": { "activity": "{{task2Source}}", "port": "Done" }, "target": { "activity": "task2", "port": "In" } },
                  {{legacyConnection}}
                  { "source": { "activity": "task2", "port": "Done" }, "target": { "activity": "{{afterTask2}}", "port": "In" } }
                ]
              }
            }
            """;
    }

    [DatabaseFact]
    public async Task Migrate_FiftyInstancesInFourPlaces_KeepsTasksTimersAndVariablesAndRaisesTheNewStep()
    {
        var clock = new ManualTimeProvider(Start);
        var host = await database.CreateHostAsync(clock);
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, Definition(1, withNewStep: false));

        var all = new List<string>();
        async Task<List<string>> StartAsync(string group, int count)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++) ids.Add(await WorkflowApi.ExecuteAsync(client, DefinitionId, $"{group}-{i}"));
            all.AddRange(ids);
            return ids;
        }
        var atTask1 = await StartAsync("a", 20);
        var atTimerLate = await StartAsync("b", 15);
        var atTask2 = await StartAsync("c", 10);
        var atLegacy = await StartAsync("d", 5);

        // c and d pass task1 now; their timers fall due on day 30. b passes task1 on day 31, due on day 61.
        foreach (var id in atTask2.Concat(atLegacy)) await CompleteOpenTaskAsync(client, id, "task1");
        clock.SetUtcNow(Start.AddDays(31));
        foreach (var id in atTask2.Concat(atLegacy)) await WaitForOpenTaskAsync(client, id, "task2");
        foreach (var id in atLegacy) await CompleteOpenTaskAsync(client, id, "task2");
        foreach (var id in atTimerLate) await CompleteOpenTaskAsync(client, id, "task1");

        // One variable changed by an alteration of its own before the migration.
        var modify = await client.PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "ModifyVariable", variableId = "contacts", value = 9 } },
            workflowInstanceIds = new[] { atTask1[0] },
        });
        Assert.Equal(HttpStatusCode.OK, modify.StatusCode);

        var before = new Dictionary<string, (IReadOnlyList<string> Tasks, IReadOnlyList<DateTimeOffset?> Due)>();
        foreach (var id in all) before[id] = (await OpenTaskIdsAsync(client, id), await DueTimesAsync(client, id));
        Assert.All(atTimerLate, id => Assert.Equal(Start.AddDays(61), Assert.Single(before[id].Due)));

        await WorkflowApi.ImportAsync(client, Definition(2, withNewStep: true));
        var migrate = new object[] { new { type = "Migrate", targetVersion = 2 } };

        // Dry run: the five instances waiting on the step v2 removed are named, nothing is stored.
        var dry = await PostAsync(client, "/elsa/api/alterations/dry-run", new { filter = new { definitionIds = new[] { DefinitionId } }, alterations = migrate });
        Assert.Equal(50, dry["workflowInstanceIds"]!.AsArray().Count);
        var refusedByDryRun = dry["results"]!.AsArray().Where(r => !(bool)r!["isSuccessful"]!).ToList();
        Assert.Equal(atLegacy.Order(), refusedByDryRun.Select(r => (string)r!["workflowInstanceId"]!).Order());
        Assert.All(refusedByDryRun, r => Assert.Contains(r!["problems"]!.AsArray(),
            p => (string?)p!["code"] == "ActivityMissingInTarget" && (string?)p["activityId"] == "legacy"));
        Assert.All(all, id => Assert.Equal(1, VersionOf(client, id).GetAwaiter().GetResult()));

        var run = await PostAsync(client, "/elsa/api/alterations/run", new { alterations = migrate, workflowInstanceIds = all });
        var results = run["results"]!.AsArray();
        Assert.Equal(45, results.Count(r => (bool)r!["isSuccessful"]!));

        foreach (var id in all.Except(atLegacy))
        {
            Assert.Equal(2, await VersionOf(client, id));
            Assert.Equal(before[id].Tasks, await OpenTaskIdsAsync(client, id));
            Assert.Equal(before[id].Due, await DueTimesAsync(client, id));
            var journal = await WorkflowApi.JournalAsync(client, id);
            Assert.Contains(journal, r => (string?)r!["eventName"] == "Altered");
        }
        foreach (var id in atLegacy)
        {
            Assert.Equal(1, await VersionOf(client, id));
            Assert.Equal(before[id].Tasks, await OpenTaskIdsAsync(client, id));
        }
        Assert.Equal(9, await ContactsAsync(client, atTask1[0]));
        Assert.Equal(7, await ContactsAsync(client, atTask1[1]));
        Assert.Equal(7, await ContactsAsync(client, atTimerLate[0]));

        // v2's new step: raised when the carried-over timer fires at its old due time, and after a task completed on v2.
        clock.SetUtcNow(Start.AddDays(61));
        foreach (var id in atTimerLate) await WaitForOpenTaskAsync(client, id, "newstep");
        await CompleteOpenTaskAsync(client, atTask2[0], "task2");
        await WorkflowApi.WaitForSubStatusAsync(client, atTask2[0], "Finished");
        await CompleteOpenTaskAsync(client, atLegacy[0], "legacy");
        await WorkflowApi.WaitForSubStatusAsync(client, atLegacy[0], "Finished");

        // Re-running the migration changes nothing: every instance already on v2 says so.
        var again = await PostAsync(client, "/elsa/api/alterations/run", new { alterations = migrate, workflowInstanceIds = atTask1.Take(3) });
        Assert.All(again["results"]!.AsArray(), r => Assert.Contains("Already on version 2.", r!["log"]!.AsArray().Select(l => (string?)l)));
    }

    [DatabaseFact]
    public async Task Migrate_RemovedWaitingActivity_RefusedUnlessMappedAndThenTheTaskIsKept()
    {
        var clock = new ManualTimeProvider(Start);
        var host = await database.CreateHostAsync(clock);
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, Definition(1, withNewStep: false));
        var id = await WorkflowApi.ExecuteAsync(client, DefinitionId, "mapped");
        await CompleteOpenTaskAsync(client, id, "task1");
        clock.SetUtcNow(Start.AddDays(31));
        await WaitForOpenTaskAsync(client, id, "task2");
        await CompleteOpenTaskAsync(client, id, "task2");
        var legacyTask = Assert.Single(await OpenTaskIdsAsync(client, id));
        await WorkflowApi.ImportAsync(client, Definition(2, withNewStep: true));

        var refused = await PostAsync(client, "/elsa/api/alterations/run", new { alterations = new object[] { new { type = "Migrate", targetVersion = 2 } }, workflowInstanceIds = new[] { id } });
        Assert.False((bool)refused["results"]![0]!["isSuccessful"]!);
        Assert.Equal(1, await VersionOf(client, id));

        // Mapped onto the new step (same type): the open task stays, and completing it follows v2 from there.
        var mapped = await PostAsync(client, "/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "Migrate", targetVersion = 2, activityMappings = new Dictionary<string, string> { ["legacy"] = "newstep" } } },
            workflowInstanceIds = new[] { id },
        });
        Assert.True((bool)mapped["results"]![0]!["isSuccessful"]!);
        Assert.Equal(2, await VersionOf(client, id));
        // Audited once, by the successful run only (the refused one stored nothing).
        var audited = Assert.Single(await AuditAsync(host, e => e.ResourceType == "workflow-instance" && e.ResourceId == id && e.Purpose!.StartsWith("workflow administration: alteration ")));
        Assert.Equal("workflow administration: alteration Migrate, version 1 to 2", audited.Purpose);
        Assert.NotNull(audited.UserId);
        Assert.Equal(legacyTask, Assert.Single(await OpenTaskIdsAsync(client, id)));
        await CompleteTaskAsync(client, legacyTask);
        await WaitForOpenTaskAsync(client, id, "task2");
    }

    [DatabaseFact]
    public async Task Submit_PlanOverAFilter_RunsInTheBackgroundAndReportsEachInstance()
    {
        var clock = new ManualTimeProvider(Start);
        var host = await database.CreateHostAsync(clock);
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, Definition(1, withNewStep: false));
        var waiting = new List<string>();
        for (var i = 0; i < 8; i++) waiting.Add(await WorkflowApi.ExecuteAsync(client, DefinitionId, $"plan-{i}"));
        var onLegacy = new List<string>();
        for (var i = 0; i < 2; i++) onLegacy.Add(await WorkflowApi.ExecuteAsync(client, DefinitionId, $"plan-legacy-{i}"));
        foreach (var id in onLegacy) await CompleteOpenTaskAsync(client, id, "task1");
        clock.SetUtcNow(Start.AddDays(31));
        foreach (var id in onLegacy) await CompleteOpenTaskAsync(client, id, "task2");
        foreach (var id in onLegacy) await WaitForOpenTaskAsync(client, id, "legacy");
        await WorkflowApi.ImportAsync(client, Definition(2, withNewStep: true));
        var v1 = (string)(await WorkflowApi.InstanceAsync(client, waiting[0]))["definitionVersionId"]!;

        var submitted = await PostAsync(client, "/elsa/api/alterations/submit", new
        {
            alterations = new object[] { new { type = "Migrate", targetVersion = 2 } },
            filter = new { definitionIds = new[] { DefinitionId }, definitionVersionIds = new[] { v1 }, statuses = new[] { "Running" } },
        });
        var planId = (string)submitted["planId"]!;

        JsonObject plan;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        do
        {
            await Task.Delay(200);
            plan = (await client.GetFromJsonAsync<JsonObject>($"/elsa/api/alterations/{planId}"))!;
            if (DateTime.UtcNow > deadline) Assert.Fail($"plan still {(string?)plan["plan"]!["status"]}");
        }
        while ((string?)plan["plan"]!["status"] != "Completed");

        var jobs = plan["jobs"]!.AsArray();
        Assert.Equal(10, jobs.Count);
        Assert.Equal(waiting.Order(), jobs.Where(j => (string?)j!["status"] == "Completed").Select(j => (string)j!["workflowInstanceId"]!).Order());
        var failed = jobs.Where(j => (string?)j!["status"] == "Failed").ToList();
        Assert.Equal(onLegacy.Order(), failed.Select(j => (string)j!["workflowInstanceId"]!).Order());
        Assert.All(failed, j => Assert.Contains(j!["log"]!.AsArray(), l => ((string)l!["message"]!).StartsWith("ActivityMissingInTarget", StringComparison.Ordinal)));
        foreach (var id in waiting) Assert.Equal(2, await VersionOf(client, id));
        foreach (var id in onLegacy) Assert.Equal(1, await VersionOf(client, id));

        // Each altered instance has its own audit entry naming the plan's submitter, the plan and the versions; a refused one has none.
        var submission = Assert.Single(await AuditAsync(host, e => e.ResourceType == "alteration-plan" && e.ResourceId == planId));
        Assert.NotNull(submission.UserId);
        var perInstance = await AuditAsync(host, e => e.ResourceType == "workflow-instance" && e.Purpose!.Contains(planId));
        Assert.Equal(waiting.Order(), perInstance.Select(e => e.ResourceId!).Order());
        Assert.All(perInstance, e =>
        {
            Assert.Equal(submission.UserId, e.UserId);
            Assert.Equal(AuditAction.Change, e.Action);
            Assert.Equal(AuditOutcome.Allowed, e.Outcome);
            Assert.Equal($"workflow administration: alteration plan {planId} (Migrate), version 1 to 2", e.Purpose);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/elsa/api/alterations/no-such-plan")).StatusCode);
    }

    [DatabaseFact]
    public async Task Run_BadBody_Answers400NamingEachField()
    {
        var host = await database.CreateHostAsync(new ManualTimeProvider(Start));
        var client = host.CreateClient();
        var response = await client.PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "Migrate" }, new { type = "Teleport" } },
            workflowInstanceIds = new[] { "x" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("alterations[0].targetVersion"));
        Assert.True(errors.ContainsKey("alterations[1].type"));
    }

    private static async Task<List<AuditEntry>> AuditAsync(ExitHostFactory host, Expression<Func<AuditEntry, bool>> filter)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking().Where(filter).ToListAsync();
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<int> VersionOf(HttpClient client, string id) => (int)(await WorkflowApi.InstanceAsync(client, id))["version"]!;

    private static async Task<int?> ContactsAsync(HttpClient client, string id)
    {
        var list = await client.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-instances/{id}/variables");
        return (int?)list!["items"]!.AsArray().Single(v => (string?)v!["id"] == "contacts")!["value"];
    }

    private static async Task<IReadOnlyList<DateTimeOffset?>> DueTimesAsync(HttpClient client, string id) =>
        (await WorkflowApi.InstanceAsync(client, id))["workflowState"]!["bookmarks"]!.AsArray()
        .Select(b => b!["dueAt"] is JsonValue v ? v.GetValue<DateTimeOffset>() : (DateTimeOffset?)null).Where(d => d is not null).ToList();

    private static async Task<IReadOnlyList<string>> OpenTaskIdsAsync(HttpClient client, string instanceId) =>
        (await OpenTasksAsync(client, instanceId)).Select(t => (string)t["id"]!).Order().ToList();

    private static async Task<IReadOnlyList<JsonObject>> OpenTasksAsync(HttpClient client, string instanceId)
    {
        var correlation = (string)(await WorkflowApi.InstanceAsync(client, instanceId))["correlationId"]!;
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlation}&status=Open&pageSize=50");
        return page!["items"]!.AsArray().Select(t => t!.AsObject()).ToList();
    }

    private static async Task WaitForOpenTaskAsync(HttpClient client, string instanceId, string activityId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var journal = await WorkflowApi.JournalAsync(client, instanceId);
            var suspended = journal.Count(r => (string?)r!["activityId"] == activityId && (string?)r["eventName"] == "Suspended");
            var completed = journal.Count(r => (string?)r!["activityId"] == activityId && (string?)r["eventName"] == "Completed");
            if (suspended > completed) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"instance {instanceId} never waited on {activityId}");
            await Task.Delay(50);
        }
    }

    private static async Task CompleteOpenTaskAsync(HttpClient client, string instanceId, string activityId)
    {
        await WaitForOpenTaskAsync(client, instanceId, activityId);
        await CompleteTaskAsync(client, (string)Assert.Single(await OpenTasksAsync(client, instanceId))["id"]!);
    }

    private static async Task CompleteTaskAsync(HttpClient client, string taskId)
    {
        var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Done" });
        Assert.True(response.IsSuccessStatusCode, $"complete answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
