using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Tasks;

/// <summary>
/// Issue 11, third round: on PostgreSQL the completion's task read also reads, in the same command, the instance and
/// bookmarks its resume needs (one round trip and one transaction instead of two), and the resume's first attempt runs
/// on them. What must hold: the read is of the task's own instance and bookmark, in the caller's municipality only; a
/// read that went stale before the completion never completes a task twice. SQLite keeps its separate prepared reads.
/// </summary>
public abstract class CompletionReadTests : IAsyncLifetime
{
    private ExitHostFactory _host = null!;
    private IServiceScope _scope = null!;

    protected abstract IHostDatabase Database { get; }

    /// <summary>Whether this provider's task read carries the resume's read.</summary>
    protected abstract bool ReadsTheInstanceWithTheTask { get; }

    public async Task InitializeAsync()
    {
        _host = await Database.CreateHostAsync();
        _scope = _host.Services.CreateScope();
    }

    public async Task DisposeAsync()
    {
        _scope?.Dispose();
        await Database.DisposeAsync();
    }

    [DatabaseFact]
    public async Task TheTaskRead_CarriesItsInstanceAndBookmark_AndTheCompletionAdvancesTheInstanceOnce()
    {
        var (instanceId, taskId) = await NewTaskAsync();

        var read = await Completions().FindForCompletionAsync(taskId, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(instanceId, read.InstanceId);
        if (ReadsTheInstanceWithTheTask)
        {
            Assert.NotNull(read.Resume);
            Assert.Equal(instanceId, read.Resume.Instance.Id);
            Assert.Equal(TenantIds.Default, read.Resume.Instance.TenantId);
            // The bookmark the task waits on (HumanTask names it after the task) is among the instance's bookmarks.
            Assert.Contains(read.Resume.Bookmarks, b => b.Id == (read.BookmarkId ?? taskId) && b.InstanceId == instanceId);
        }
        else
        {
            Assert.Null(read.Resume);
        }

        var response = await _host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var journal = await WorkflowApi.JournalAsync(_host.CreateClient(), instanceId);
        Assert.Single(journal, r => (string?)r!["activityId"] == "review1" && (string?)r["eventName"] == "Completed");
        var bookmark = Assert.Single((await WorkflowApi.InstanceAsync(_host.CreateClient(), instanceId))["workflowState"]!["bookmarks"]!.AsArray());
        Assert.Equal("Elsa.Delay", (string?)bookmark!["name"]);
    }

    [DatabaseFact]
    public async Task ACompletionOnAReadThatWentStale_IsRefused_AndTheTaskKeepsTheFirstOutcome()
    {
        var (instanceId, taskId) = await NewTaskAsync();
        var service = Completions();
        // Read (with the instance as it is now), then someone else completes the task before this completion commits.
        var stale = await service.FindForCompletionAsync(taskId, CancellationToken.None);
        Assert.NotNull(stale);
        Assert.Equal(HttpStatusCode.OK,
            (await _host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "Approved" })).StatusCode);

        await Assert.ThrowsAsync<TaskConflictException>(() =>
            service.CompleteAsync(taskId, "Rejected", null, "late", stale, [], CancellationToken.None));

        var journal = await WorkflowApi.JournalAsync(_host.CreateClient(), instanceId);
        Assert.Single(journal, r => (string?)r!["activityId"] == "review1" && (string?)r["eventName"] == "Completed");
        var task = (await _host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;
        Assert.Equal("Approved", (string?)task["outcome"]);
        // "Rejected" would have finished the instance; it waits on the delay after "Approved".
        Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(_host.CreateClient(), instanceId))["subStatus"]);
    }

    [DatabaseFact]
    public async Task AnotherMunicipalitysRead_FindsNeitherTheTaskNorItsInstance()
    {
        var (_, taskId) = await NewTaskAsync();
        using (TenantScope.Enter("aarhus"))
            Assert.Null(await Completions().FindForCompletionAsync(taskId, CancellationToken.None));
        Assert.NotNull(await Completions().FindForCompletionAsync(taskId, CancellationToken.None));
    }

    private HumanTaskService Completions() => _scope.ServiceProvider.GetRequiredService<HumanTaskService>();

    /// <summary>The "review1" task of workflow-definitions/task-then-timer.json: role "worker", nobody by name.</summary>
    private async Task<(string InstanceId, string TaskId)> NewTaskAsync()
    {
        var correlationId = $"read-{Guid.NewGuid():N}";
        var instanceId = await WorkflowApi.ExecuteAsync(_host.CreateClientAs(ExitRoles.Coordinator), "task-then-timer", correlationId);
        var page = await _host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}");
        return (instanceId, (string)page!["items"]!.AsArray().Single()!["id"]!);
    }
}

public sealed class SqliteCompletionReadTests : CompletionReadTests
{
    protected override IHostDatabase Database { get; } = new SqliteHostDatabase();

    protected override bool ReadsTheInstanceWithTheTask => false;
}

[RequiresPostgres]
public sealed class PostgresCompletionReadTests : CompletionReadTests
{
    protected override IHostDatabase Database { get; } = new PostgresHostDatabase();

    protected override bool ReadsTheInstanceWithTheTask => true;
}
