using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Tasks;

/// <summary>
/// Issue 13: a completion through <c>POST /api/tasks/{id}/complete</c> writes its audit entry in the workflow commit
/// that completes the task, instead of a transaction of its own after it; a run through
/// <c>POST /elsa/api/workflow-definitions/{id}/execute</c> writes its entry in the new instance's commit. What a user of the audit log must still
/// see: one allowed "change" entry per completed task, naming who and which task; none for a completion that lost
/// (409); and one intact hash chain when completions and other audited requests run at the same time.
/// Runs on SQLite and PostgreSQL through the real Host.
/// </summary>
public abstract class CompletionAuditTests : IAsyncLifetime
{
    private ExitHostFactory _host = null!;

    protected abstract IHostDatabase Database { get; }

    public async Task InitializeAsync() => _host = await Database.CreateHostAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [DatabaseFact]
    public async Task ConcurrentCompletions_AreAuditedOnceEach_AndTheChainStaysIntact()
    {
        var tasks = new List<string>();
        for (var i = 0; i < 12; i++) tasks.Add(await NewTaskAsync());
        var worker = _host.CreateClientAs(ExitRoles.Worker);
        var manager = _host.CreateClientAs(ExitRoles.Manager);

        // Completions (audited in their commits) interleaved with reads (audited in transactions of their own).
        var completions = tasks.Select(id => worker.PostAsJsonAsync($"/api/tasks/{id}/complete", new { outcome = "Approved" })).ToList();
        var reads = tasks.Select(id => manager.GetAsync($"/api/tasks/{id}")).ToList();
        var answers = await Task.WhenAll(completions);
        await Task.WhenAll(reads);

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var entries = await EntriesAsync(AuditAction.Change);
        foreach (var id in tasks)
        {
            var entry = Assert.Single(entries, e => e.ResourceId == id);
            Assert.Equal(AuditOutcome.Allowed, entry.Outcome);
            Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.Worker), entry.UserName);
            Assert.NotNull(entry.UserId);
            Assert.NotNull(entry.Hash);
        }

        Assert.Equal(tasks.Count, (await EntriesAsync(AuditAction.Read)).Count(e => tasks.Contains(e.ResourceId!)));
        var chain = (await (await _host.CreateClientAs(ExitRoles.Admin).GetAsync("/api/audit/chain")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)chain["intact"]!, chain.ToJsonString());
    }

    [DatabaseFact]
    public async Task ASecondCompletion_Gets409_AndAddsNoChangeEntry()
    {
        var id = await NewTaskAsync();
        var worker = _host.CreateClientAs(ExitRoles.Worker);

        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsJsonAsync($"/api/tasks/{id}/complete", new { outcome = "Approved" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await worker.PostAsJsonAsync($"/api/tasks/{id}/complete", new { outcome = "Rejected" })).StatusCode);

        var entry = Assert.Single(await EntriesAsync(AuditAction.Change), e => e.ResourceId == id);
        Assert.Equal(AuditOutcome.Allowed, entry.Outcome);
        var task = (await _host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{id}"))!;
        Assert.Equal("Approved", (string?)task["outcome"]);
    }

    [DatabaseFact]
    public async Task ACompletionBySomeoneWithoutTheRole_IsRefused_AndAuditedAsDenied()
    {
        var id = await NewTaskAsync();

        var refused = await _host.CreateClientAs(ExitRoles.Supervisor).PostAsJsonAsync($"/api/tasks/{id}/complete", new { outcome = "Approved" });

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var entry = Assert.Single(await EntriesAsync(AuditAction.Change), e => e.ResourceId == id);
        Assert.Equal(AuditOutcome.Denied, entry.Outcome);
        var task = (await _host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks/{id}"))!;
        Assert.Equal("Open", (string?)task["status"]);
    }

    [DatabaseFact]
    public async Task ConcurrentRuns_AreAuditedOnceEach_WithTheInstanceTheyMade_AndTheChainStaysIntact()
    {
        var coordinator = _host.CreateClientAs(ExitRoles.Coordinator);

        var runs = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            coordinator.PostAsJsonAsync("/elsa/api/workflow-definitions/task-then-timer/execute", new { })));

        Assert.All(runs, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var instances = runs.Select(r => r.Headers.GetValues("x-elsa-workflow-instance-id").Single()).ToList();
        using (var scope = _host.Services.CreateScope())
        {
            var entries = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries.AsNoTracking()
                .Where(e => e.ResourceType == "workflow-instance" && e.Action == AuditAction.Change).ToListAsync();
            foreach (var id in instances)
            {
                var entry = Assert.Single(entries, e => e.ResourceId == id);
                Assert.Equal((AuditOutcome.Allowed, TestApiKeys.UserNameFor(ExitRoles.Coordinator)), (entry.Outcome, entry.UserName));
                Assert.Equal("workflow administration: run task-then-timer", entry.Purpose);
            }
        }

        foreach (var id in instances)
            Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(_host.CreateClient(), id))["subStatus"]);
        var chain = (await (await _host.CreateClientAs(ExitRoles.Admin).GetAsync("/api/audit/chain")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)chain["intact"]!, chain.ToJsonString());
    }

    /// <summary>The "review1" task of workflow-definitions/task-then-timer.json: role "worker", nobody by name.</summary>
    private async Task<string> NewTaskAsync()
    {
        var correlationId = $"audit-{Guid.NewGuid():N}";
        await WorkflowApi.ExecuteAsync(_host.CreateClientAs(ExitRoles.Coordinator), "task-then-timer", correlationId);
        var page = await _host.CreateClientAs(ExitRoles.Manager).GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}");
        return (string)page!["items"]!.AsArray().Single()!["id"]!;
    }

    private async Task<List<AuditEntry>> EntriesAsync(AuditAction action)
    {
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.ResourceType == "task" && e.Action == action).ToListAsync();
    }
}

public sealed class SqliteCompletionAuditTests : CompletionAuditTests
{
    protected override IHostDatabase Database { get; } = new SqliteHostDatabase();
}

[RequiresPostgres]
public sealed class PostgresCompletionAuditTests : CompletionAuditTests
{
    protected override IHostDatabase Database { get; } = new PostgresHostDatabase();
}
