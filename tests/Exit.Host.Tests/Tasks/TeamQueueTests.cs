using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Xunit;

namespace Exit.Host.Tests.Tasks;

public sealed class TeamQueueOnSqliteTests(TeamQueueTests.Fixture<SqliteHostDatabase> host)
    : TeamQueueTests(host), IClassFixture<TeamQueueTests.Fixture<SqliteHostDatabase>>;

[RequiresPostgres]
public sealed class TeamQueueOnPostgresTests(TeamQueueTests.Fixture<PostgresHostDatabase> host)
    : TeamQueueTests(host), IClassFixture<TeamQueueTests.Fixture<PostgresHostDatabase>>;

/// <summary>
/// The team queue through the real Host on SQLite and PostgreSQL: an unassigned task of a role is listed for the
/// role's holders, claimed exactly once (concurrent claims: one 200, the rest 409), released back by its claimant only;
/// and a definition naming a role the application does not have is refused at publish with a named problem.
/// The "review1" task of workflow-definitions/task-then-timer.json is for role "worker" and nobody by name.
/// </summary>
public abstract class TeamQueueTests
{
    private readonly Fixture _host;

    protected TeamQueueTests(Fixture host) => _host = host;

    public abstract class Fixture : IAsyncLifetime
    {
        public ExitHostFactory? Host { get; protected set; }

        public HttpClient As(string role) => (Host ?? throw new InvalidOperationException("The host was not started.")).CreateClientAs(role);

        public abstract Task InitializeAsync();
        public abstract Task DisposeAsync();
    }

    public sealed class Fixture<TDatabase> : Fixture where TDatabase : IHostDatabase, new()
    {
        private readonly TDatabase _database = new();

        public override async Task InitializeAsync()
        {
            if (typeof(TDatabase) == typeof(PostgresHostDatabase) && PostgresTestDatabase.SkipReason is not null) return;
            Host = await _database.CreateHostAsync();
        }

        public override async Task DisposeAsync() => await _database.DisposeAsync();
    }

    [DatabaseFact]
    public async Task Claim_ConcurrentClaimsByTwoWorkers_ExactlyOneWinsTheRestGet409()
    {
        var taskId = await NewQueueTaskAsync();
        var worker = _host.As(ExitRoles.Worker);
        var other = _host.As(TestApiKeys.AllRoles); // a second person holding the worker role

        Assert.Contains(await QueueIdsAsync(worker), id => id == taskId);
        Assert.Contains(await QueueIdsAsync(other), id => id == taskId);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? worker : other).PostAsync($"/api/tasks/{taskId}/claim", null)));

        var winner = Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(attempts.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var problem = await attempts.First(r => r != winner).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("already been taken", (string?)problem!["detail"], StringComparison.Ordinal);

        var assignee = (string?)(await winner.Content.ReadFromJsonAsync<JsonObject>())!["assignee"];
        Assert.Contains(assignee, new[] { TestApiKeys.UserNameFor(ExitRoles.Worker), TestApiKeys.UserNameFor(TestApiKeys.AllRoles) });
        Assert.DoesNotContain(await QueueIdsAsync(worker), id => id == taskId);
        var history = (await _host.As(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;
        Assert.Equal(assignee, (string?)history["assignee"]);
        Assert.Single(history["assignments"]!.AsArray());
    }

    [DatabaseFact]
    public async Task Claim_SequentialSecondClaim_Gets409_AndReleaseByTheClaimantPutsItBack()
    {
        var taskId = await NewQueueTaskAsync();
        var worker = _host.As(ExitRoles.Worker);
        var other = _host.As(TestApiKeys.AllRoles);

        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode);
        // Someone else's task: the other person may not release it.
        Assert.NotEqual(HttpStatusCode.OK, (await other.PostAsync($"/api/tasks/{taskId}/release", null)).StatusCode);

        var released = await worker.PostAsync($"/api/tasks/{taskId}/release", null);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Null((await released.Content.ReadFromJsonAsync<JsonObject>())!["assignee"]);
        Assert.Contains(await QueueIdsAsync(other), id => id == taskId);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode);
    }

    [DatabaseFact]
    public async Task Queue_IsPerRole_AndAPersonWithoutTheRoleCannotClaim()
    {
        var taskId = await NewQueueTaskAsync();
        var supervisor = _host.As(ExitRoles.Supervisor);

        Assert.DoesNotContain(await QueueIdsAsync(supervisor), id => id == taskId);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.As(ExitRoles.Worker).PostAsync("/api/tasks/no-such-task/claim", null)).StatusCode);
    }

    [DatabaseFact]
    public async Task Publish_WithARoleTheApplicationDoesNotHave_IsRefusedNamingActivityAndInput()
    {
        var coordinator = _host.As(ExitRoles.Coordinator);
        var model = JsonNode.Parse(WorkflowApi.Definition("unknown-role-" + Guid.NewGuid().ToString("N")[..6],
            """
            "activities": [
              { "id": "task1", "type": "Exit.HumanTask", "version": 1,
                "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Opgave" } },
                "role": { "typeName": "String", "expression": { "type": "Literal", "value": "cti-worker" } } }
            ],
            "connections": []
            """))!.AsObject();

        var response = await coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var named = Assert.Single(problem["problems"]!.AsArray(), p => (string?)p!["code"] == "ValueNotAllowed");
        Assert.Equal(("task1", "role"), ((string?)named!["activityId"], (string?)named["inputName"]));
        Assert.Contains("'cti-worker' is not a role", (string?)named["message"], StringComparison.Ordinal);

        // The designer offers the application's roles as the choices.
        var descriptors = await coordinator.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities");
        var human = descriptors!["items"]!.AsArray().Single(d => (string?)d!["typeName"] == "Exit.HumanTask")!;
        var role = human["inputs"]!.AsArray().Single(i => (string?)i!["name"] == "Role")!;
        Assert.Equal("dropdown", (string?)role["uiHint"]);
        var values = role["uiSpecifications"]!["dropdown"]!["selectList"]!["items"]!.AsArray().Select(i => (string?)i!["value"]).ToList();
        Assert.Equal(new[] { "" }.Concat(ExitRoles.All), values);
    }

    private async Task<string> NewQueueTaskAsync()
    {
        var admin = _host.As(ExitRoles.Coordinator);
        var correlationId = $"queue-{Guid.NewGuid():N}";
        await WorkflowApi.ExecuteAsync(admin, "task-then-timer", correlationId);
        var page = await _host.As(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}");
        return (string)page!["items"]!.AsArray().Single()!["id"]!;
    }

    private static async Task<List<string>> QueueIdsAsync(HttpClient client)
    {
        var queue = await client.GetFromJsonAsync<JsonObject>("/api/tasks/queue");
        return queue!["items"]!.AsArray().Select(t => (string)t!["id"]!).ToList();
    }
}
