using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.Tasks;
using Exit.Host.Infrastructure;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Exit.Host.Tests.Tasks;

public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The task slice in a real web host (test server) over a SQLite file, wired as Program.cs will wire it:
/// AddHumanTasks + AddExitMediator + AddExitProblemDetails + MapTaskEndpoints. The runtime is a fake whose resume
/// commits the effects through the real participant; the bookmark id is "bm-" + task id.
/// </summary>
public sealed class TaskApi : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"exit-host-tasks-{Guid.NewGuid():N}.db");
    private WebApplication? _app;

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    public HttpClient Client { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    private string ConnectionString => $"Data Source={_path};Default Timeout=30";

    public static async Task<TaskApi> StartAsync()
    {
        var api = new TaskApi();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        // Scopes validated (a captive dependency fails); not every service is built up front, because this host has
        // only the task slice of the composition while the mediator scans every handler in the Host assembly.
        builder.Host.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = false; });
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(api.Clock);
        builder.Services.AddSingleton<IWorkflowRuntime>(sp => new CommittingRuntime(api.ConnectionString, sp));
        builder.Services.AddSingleton<ITaskBookmarkLocator, PrefixLocator>();
        builder.Services.AddHumanTasks(o => { o.Provider = DatabaseProvider.Sqlite; o.ConnectionString = api.ConnectionString; });
        builder.Services.AddExitMediator();
        builder.Services.AddExitProblemDetails();

        api._app = builder.Build();
        api._app.UseExceptionHandler();
        api._app.MapTaskEndpoints();
        await api._app.Services.MigrateHumanTasksAsync();
        await api._app.StartAsync();
        api.Client = api._app.GetTestClient();
        return api;
    }

    /// <summary>Creates a task as the activity's commit would.</summary>
    public async Task CreateAsync(string id, DateTimeOffset? dueAt = null, string? assignee = "anna", string[]? outcomes = null)
    {
        var effect = new TaskCreated(id, "Write meeting note", null, "meeting-note", assignee, "caseworker", "case-1", "instance-1",
            "ai-" + id, "task1", id, dueAt, outcomes ?? ["Approve", "Reject"], null, Clock.GetUtcNow());
        await CommittingRuntime.CommitAsync(ConnectionString, Services, [effect]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(_path + suffix); } catch (IOException) { }
        }
    }

    private sealed class PrefixLocator : ITaskBookmarkLocator
    {
        public Task<string?> FindBookmarkIdAsync(string instanceId, string bookmarkKey, CancellationToken ct) =>
            Task.FromResult<string?>("bm-" + bookmarkKey);
    }

    private sealed class CommittingRuntime(string connectionString, IServiceProvider services) : IWorkflowRuntime
    {
        public async Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct)
        {
            await CommitAsync(connectionString, services, request.Effects ?? []);
            return new WorkflowRunResult("instance-1", WorkflowStatus.Running, WorkflowSubStatus.Suspended, [], []);
        }

        public static async Task CommitAsync(string connectionString, IServiceProvider services, IReadOnlyList<object> effects)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var tx = connection.BeginTransaction();
            foreach (var participant in services.GetServices<ICommitParticipant>())
                await participant.ApplyAsync(new CommitContext(connection, tx, DatabaseProvider.Sqlite), effects, CancellationToken.None);
            await tx.CommitAsync();
        }

        public Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct) => throw new NotSupportedException();
        public Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
        public Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
    }
}
