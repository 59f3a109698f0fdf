using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Xunit;

namespace Exit.Host.Tests.Runtime;

public sealed class HumanTaskLifecycleOnSqliteTests(HumanTaskLifecycleTests.Fixture<SqliteHostDatabase> host)
    : HumanTaskLifecycleTests(host), IClassFixture<HumanTaskLifecycleTests.Fixture<SqliteHostDatabase>>;

[RequiresPostgres]
public sealed class HumanTaskLifecycleOnPostgresTests(HumanTaskLifecycleTests.Fixture<PostgresHostDatabase> host)
    : HumanTaskLifecycleTests(host), IClassFixture<HumanTaskLifecycleTests.Fixture<PostgresHostDatabase>>;

/// <summary>The Host started on SQL Server, driving workflows, tasks and timers: env EXIT_TEST_SQLSERVER; never run here.</summary>
[RequiresSqlServer]
public sealed class HumanTaskLifecycleOnSqlServerTests(HumanTaskLifecycleTests.Fixture<SqlServerHostDatabase> host)
    : HumanTaskLifecycleTests(host), IClassFixture<HumanTaskLifecycleTests.Fixture<SqlServerHostDatabase>>;

/// <summary>
/// Human tasks through the real Host, runtime and store, on SQLite and on PostgreSQL (and SQL Server when configured): complete once, resume on
/// the chosen port, cancel with the instance.
/// </summary>
public abstract class HumanTaskLifecycleTests
{
    private readonly HttpClient _client;

    protected HumanTaskLifecycleTests(IHostFixture host) => _client = host.Client;

    public interface IHostFixture
    {
        HttpClient Client { get; }
    }

    public sealed class Fixture<TDatabase> : IHostFixture, IAsyncLifetime where TDatabase : IHostDatabase, new()
    {
        private readonly TDatabase _database = new();
        private HttpClient? _client;

        public HttpClient Client => _client ?? throw new InvalidOperationException("The host was not started.");

        public async Task InitializeAsync()
        {
            // Without a configured PostgreSQL (and not under CI) the tests are skipped: start nothing.
            if (typeof(TDatabase) == typeof(PostgresHostDatabase) && PostgresTestDatabase.SkipReason is not null) return;
            if (typeof(TDatabase) == typeof(SqlServerHostDatabase) && SqlServerTestDatabase.SkipReason is not null) return;
            _client = (await _database.CreateHostAsync()).CreateClient();
        }

        public async Task DisposeAsync() => await _database.DisposeAsync();
    }

    [DatabaseFact]
    public async Task Complete_TwoConcurrentCompletions_ExactlyOneSucceedsAndTheOtherGets409()
    {
        var correlationId = $"race-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved", data = new { note = "seen" } })));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));

        // The instance moved on exactly once: it now waits on the day-long delay after "Approved".
        var instance = await WorkflowApi.InstanceAsync(_client, instanceId);
        var bookmark = Assert.Single(instance["workflowState"]!["bookmarks"]!.AsArray());
        Assert.Equal("Elsa.Delay", (string?)bookmark!["name"]);
        var journal = await WorkflowApi.JournalAsync(_client, instanceId);
        Assert.Single(journal, r => (string?)r!["activityId"] == "review1" && (string?)r["eventName"] == "Completed");
        var task = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("Completed", (string?)task!["status"]);
        Assert.Equal("Approved", (string?)task["outcome"]);
    }

    [DatabaseFact]
    public async Task Complete_WithOutcomeNotOffered_Answers400AndChangesNothing()
    {
        var correlationId = $"bad-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var response = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Approved", await response.Content.ReadAsStringAsync());
        Assert.Equal(taskId, await OpenTaskIdAsync(correlationId));
        Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(_client, instanceId))["subStatus"]);
    }

    [DatabaseFact]
    public async Task CancelInstance_WithOpenTask_CancelsTheTaskAndRemovesTheBookmark()
    {
        var correlationId = $"cancel-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var cancel = await _client.PostAsync($"/elsa/api/cancel/workflow-instances/{instanceId}", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        var instance = await WorkflowApi.InstanceAsync(_client, instanceId);
        Assert.Equal("Cancelled", (string?)instance["subStatus"]);
        Assert.Empty(instance["workflowState"]!["bookmarks"]!.AsArray());
        var task = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}");
        Assert.Equal("Cancelled", (string?)task!["status"]);
        var late = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [DatabaseFact]
    public async Task Complete_RejectedOutcome_ResumesOnThatPortAndFinishes()
    {
        var correlationId = $"reject-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_client, "task-then-timer", correlationId);
        var taskId = await OpenTaskIdAsync(correlationId);

        var response = await _client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Rejected" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WorkflowApi.WaitForSubStatusAsync(_client, instanceId, "Finished");
        var journal = await WorkflowApi.JournalAsync(_client, instanceId);
        Assert.DoesNotContain(journal, r => (string?)r!["activityId"] == "delay1");
    }

    private async Task<string> OpenTaskIdAsync(string correlationId)
    {
        var page = await _client.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}&status=Open");
        var task = Assert.Single(page!["items"]!.AsArray());
        return (string)task!["id"]!;
    }
}
