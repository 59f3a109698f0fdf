using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Alterations;

public sealed class ScheduleAndCancelActivityOnSqliteTests() : ScheduleAndCancelActivityTests(new SqliteHostDatabase());

[RequiresPostgres]
public sealed class ScheduleAndCancelActivityOnPostgresTests() : ScheduleAndCancelActivityTests(new PostgresHostDatabase());

/// <summary>
/// Elsa's ScheduleActivity and CancelActivity alterations through <c>/elsa/api/alterations/run</c> on the real Host and
/// store: a body missing what they need answers 400 problem+json naming the field and stores nothing (even the valid
/// alteration beside it); an activity the instance cannot schedule or cancel is refused by name and stores nothing; an
/// applied one is one commit (the instance's concurrency version moves by one), one <c>Altered</c> journal entry saying what
/// and who, and one audit entry for the caller.
/// </summary>
public abstract class ScheduleAndCancelActivityTests(IHostDatabase database) : IAsyncLifetime
{
    private const string DefinitionId = "schedule-cancel";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await database.DisposeAsync();

    /// <summary>start → ask (a task) → end; "reminder" (a task) stands apart, reached only by an alteration.</summary>
    private static string Definition() => WorkflowApi.Definition(DefinitionId, """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "ask", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Ring tilbage" } } },
          { "id": "reminder", "type": "Exit.HumanTask", "version": 1, "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } }, "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Påmindelse" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "ask", "port": "In" } },
          { "source": { "activity": "ask", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """);

    [DatabaseFact]
    public async Task ScheduleActivity_ValidatedRefusedOrAppliedInOneCommit_JournaledAndAudited()
    {
        var host = await database.CreateHostAsync(new ManualTimeProvider(Start));
        var client = host.CreateClientAs(ExitRoles.Coordinator);
        await WorkflowApi.ImportAsync(host.CreateClient(), Definition());
        var id = await WorkflowApi.ExecuteAsync(host.CreateClient(), DefinitionId, "schedule-1");
        var before = await StateAsync(host, id);
        Assert.Equal(["Ring tilbage"], before.OpenTaskTitles);

        // A body missing the activity id: 400 naming the field; the valid alteration beside it is not applied either.
        var bad = await client.PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "ScheduleActivity", activityId = "reminder" }, new { type = "ScheduleActivity" } },
            workflowInstanceIds = new[] { id },
        });
        await AssertProblemAsync(bad, "alterations[1].activityId");
        Assert.Equal(before, await StateAsync(host, id));

        // An activity the version does not have: refused by name, nothing stored.
        var refused = await RunAsync(client, id, new { type = "ScheduleActivity", activityId = "no-such-step" });
        Assert.False((bool)refused["isSuccessful"]!);
        Assert.Contains(refused["problems"]!.AsArray(), p => (string?)p!["activityId"] == "no-such-step" && (string?)p["code"] == "AlterationRefused");
        Assert.Equal(before, await StateAsync(host, id));

        var applied = await RunAsync(client, id, new { type = "ScheduleActivity", activityId = "reminder" });
        Assert.True((bool)applied["isSuccessful"]!, applied.ToJsonString());
        var after = await StateAsync(host, id);
        Assert.Equal(before.ConcurrencyVersion + 1, after.ConcurrencyVersion);
        Assert.Equal(["Påmindelse", "Ring tilbage"], after.OpenTaskTitles);
        var altered = Assert.Single(after.Altered);
        var caller = TestApiKeys.UserNameFor(ExitRoles.Coordinator); // the user id the coordinator's test key acts as
        Assert.Equal(caller, (string?)altered.Payload!["alteredBy"]);
        Assert.Equal(["ScheduleActivity"], altered.Payload["alterations"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("Activity 'reminder' scheduled.", altered.Message);
        var audit = Assert.Single(await AuditAsync(host, id));
        Assert.Equal(caller, audit.UserId);
        Assert.Equal("workflow administration: alteration ScheduleActivity, version 1 to 1", audit.Purpose);

        // The scheduled step is a real task: completing it leaves the instance waiting on its own task only.
        var reminder = (await OpenTasksAsync(host.CreateClient(), "schedule-1")).Single(t => (string?)t["title"] == "Påmindelse");
        (await host.CreateClient().PostAsJsonAsync($"/api/tasks/{(string)reminder["id"]!}/complete", new { outcome = "Done" })).EnsureSuccessStatusCode();
        Assert.Equal(["Ring tilbage"], (await StateAsync(host, id)).OpenTaskTitles);
    }

    [DatabaseFact]
    public async Task CancelActivity_ValidatedRefusedOrAppliedInOneCommit_JournaledAndAudited()
    {
        var host = await database.CreateHostAsync(new ManualTimeProvider(Start));
        var client = host.CreateClientAs(ExitRoles.Admin);
        await WorkflowApi.ImportAsync(host.CreateClient(), Definition());
        var id = await WorkflowApi.ExecuteAsync(host.CreateClient(), DefinitionId, "cancel-1");
        var task = Assert.Single(await OpenTasksAsync(host.CreateClient(), "cancel-1"));
        var before = await StateAsync(host, id);

        var bad = await client.PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "CancelActivity", activityId = "", activityInstanceId = "" } },
            workflowInstanceIds = new[] { id },
        });
        await AssertProblemAsync(bad, "alterations[0].activityId");
        Assert.Equal(before, await StateAsync(host, id));

        // Not running in this instance: refused by name, the task stays open.
        var refused = await RunAsync(client, id, new { type = "CancelActivity", activityId = "reminder" });
        Assert.False((bool)refused["isSuccessful"]!);
        Assert.Contains(refused["problems"]!.AsArray(), p => (string?)p!["activityId"] == "reminder");
        Assert.Equal(before, await StateAsync(host, id));

        var applied = await RunAsync(client, id, new { type = "CancelActivity", activityId = "ask" });
        Assert.True((bool)applied["isSuccessful"]!, applied.ToJsonString());
        var after = await StateAsync(host, id);
        Assert.Equal(before.ConcurrencyVersion + 1, after.ConcurrencyVersion);
        Assert.Empty(after.OpenTaskTitles);
        Assert.Empty(after.Bookmarks);
        var cancelled = await host.CreateClient().GetFromJsonAsync<JsonObject>($"/api/tasks/{(string)task["id"]!}");
        Assert.Equal("Cancelled", (string?)cancelled!["status"]);
        var altered = Assert.Single(after.Altered);
        var caller = TestApiKeys.UserNameFor(ExitRoles.Admin);
        Assert.Equal(caller, (string?)altered.Payload!["alteredBy"]);
        Assert.Equal(["CancelActivity"], altered.Payload["alterations"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("Activity 'ask' cancelled.", altered.Message);
        var audit = Assert.Single(await AuditAsync(host, id));
        Assert.Equal(caller, audit.UserId);
        Assert.Equal("workflow administration: alteration CancelActivity, version 1 to 1", audit.Purpose);

        // A manager reads plans but may not alter.
        var manager = await host.CreateClientAs(ExitRoles.Manager).PostAsJsonAsync("/elsa/api/alterations/run", new
        {
            alterations = new object[] { new { type = "ScheduleActivity", activityId = "reminder" } },
            workflowInstanceIds = new[] { id },
        });
        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
    }

    private sealed record State(long ConcurrencyVersion, IReadOnlyList<string> OpenTaskTitles, string Bookmarks, IReadOnlyList<JournalRecord> Altered)
    {
        public bool Equals(State? other) => other is not null && ConcurrencyVersion == other.ConcurrencyVersion
            && OpenTaskTitles.SequenceEqual(other.OpenTaskTitles) && Bookmarks == other.Bookmarks && Altered.Count == other.Altered.Count;

        public override int GetHashCode() => ConcurrencyVersion.GetHashCode();
    }

    private static async Task<State> StateAsync(ExitHostFactory host, string id)
    {
        var store = host.Services.GetRequiredService<IWorkflowInstanceStore>();
        var instance = (await store.FindAsync(id, CancellationToken.None))!;
        var bookmarks = await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: id), CancellationToken.None);
        var journal = await store.GetJournalAsync(id, 0, 1000, CancellationToken.None);
        var titles = (await OpenTasksAsync(host.CreateClient(), instance.CorrelationId!)).Select(t => (string)t["title"]!).Order(StringComparer.Ordinal).ToList();
        return new State(instance.ConcurrencyVersion, titles, string.Join(",", bookmarks.Select(b => b.Id).Order(StringComparer.Ordinal)),
            journal.Items.Where(r => r.EventName == "Altered").ToList());
    }

    private static async Task<JsonObject> RunAsync(HttpClient client, string id, object alteration)
    {
        var response = await client.PostAsJsonAsync("/elsa/api/alterations/run", new { alterations = new[] { alteration }, workflowInstanceIds = new[] { id } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"run answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray().Single()!.AsObject();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
    }

    private static async Task<IReadOnlyList<JsonObject>> OpenTasksAsync(HttpClient client, string correlationId)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}&status=Open");
        return page!["items"]!.AsArray().Select(t => t!.AsObject()).ToList();
    }

    private static async Task<List<AuditEntry>> AuditAsync(ExitHostFactory host, string instanceId)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.ResourceType == "workflow-instance" && e.ResourceId == instanceId && e.Purpose!.StartsWith("workflow administration: alteration "))
            .ToListAsync();
    }
}
