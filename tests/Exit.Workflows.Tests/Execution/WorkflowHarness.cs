using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Execution.InMemory;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.Tests.Execution;

/// <summary>
/// The runtime wired as in production (AddWorkflowRuntime) over the in-memory instance store, a manual clock
/// and counting ids. Timers are driven by <see cref="RunDueTimersAsync"/>, which plays the scheduler.
/// </summary>
internal sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public WorkflowHarness(Action<IServiceCollection>? configure = null, Action<WorkflowRuntimeOptions>? options = null, IWorkflowInstanceStore? store = null)
    {
        Store = store ?? new InMemoryInstanceStore();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IIdGenerator>(Ids);
        services.AddSingleton(Store);
        services.AddSingleton<IWorkflowDefinitionStore>(Definitions);
        services.AddWorkflowRuntime(options);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        Scope = _services.CreateScope();
        Runtime = Scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();
    }

    public ManualClock Clock { get; } = new();
    public CountingIdGenerator Ids { get; } = new();
    /// <summary>The instance store the runtime commits to (in memory unless the test passed another).</summary>
    public IWorkflowInstanceStore Store { get; }

    public InMemoryInstanceStore Instances =>
        Store as InMemoryInstanceStore ?? throw new InvalidOperationException("This harness runs on another instance store.");
    public InMemoryDefinitionStore Definitions { get; } = new();
    public IServiceScope Scope { get; }
    public IWorkflowRuntime Runtime { get; }
    public IServiceProvider Services => Scope.ServiceProvider;

    /// <summary>Validates and publishes definition JSON as an import does (DefinitionPublisher.ImportAsync).</summary>
    public async Task<WorkflowDefinitionVersion> PublishAsync(string json) =>
        (await Publisher.ImportAsync(json)).Version;

    /// <summary>Saves definition JSON as a draft (not published).</summary>
    public async Task<WorkflowDefinitionVersion> SaveDraftAsync(string json) =>
        (await Publisher.SaveAsync(JsonNode.Parse(json)!.AsObject(), publish: false)).Version;

    public ActivityRegistry Registry => _services.GetRequiredService<ActivityRegistry>();

    public DefinitionValidator Validator => new(Registry);

    public DefinitionPublisher Publisher => new(Definitions, Validator, Registry, Ids, Clock);

    public Task<WorkflowRunResult> StartAsync(string definitionId, string? correlationId = null, JsonObject? input = null) =>
        Runtime.StartAsync(new StartWorkflowRequest(definitionId, CorrelationId: correlationId, Input: input), CancellationToken.None);

    /// <summary>Advances the clock to each due timer of the instance and resumes it, until none is left.</summary>
    public Task<WorkflowInstance> RunDueTimersAsync(string instanceId, int maxRounds = 100) =>
        DriveAsync(instanceId, timersOnly: true, maxRounds);

    /// <summary>
    /// Runs an instance to its end as Elsa's test harness does: every bookmark is resumed with no input, timers
    /// in due order with the clock moved to their due time, until the instance is finished or has no bookmarks.
    /// </summary>
    public Task<WorkflowInstance> RunToEndAsync(string instanceId, int maxRounds = 100) =>
        DriveAsync(instanceId, timersOnly: false, maxRounds);

    private async Task<WorkflowInstance> DriveAsync(string instanceId, bool timersOnly, int maxRounds)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            var instance = await InstanceAsync(instanceId);
            if (instance.Status == WorkflowStatus.Finished) break;
            var bookmarks = await Store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instanceId, TimersOnly: timersOnly), CancellationToken.None);
            var next = bookmarks.FirstOrDefault(b => b.DueAt is null) ?? bookmarks.Where(b => b.DueAt is not null).MinBy(b => b.DueAt);
            if (next is null) break;
            if (next.DueAt is { } due) Clock.MoveTo(due);
            await Runtime.ResumeAsync(new ResumeBookmarkRequest(next.Id), CancellationToken.None);
        }
        return await InstanceAsync(instanceId);
    }

    public async Task<WorkflowInstance> InstanceAsync(string instanceId) =>
        (await Store.FindAsync(instanceId, CancellationToken.None))!;

    public async Task<IReadOnlyList<JournalRecord>> JournalAsync(string instanceId) =>
        (await Store.GetJournalAsync(instanceId, 0, 100_000, CancellationToken.None)).Items;

    /// <summary>The lines written by Elsa.WriteLine, in order (from the Completed journal records).</summary>
    public async Task<IReadOnlyList<string>> LinesAsync(string instanceId) =>
        (await JournalAsync(instanceId))
        .Where(r => r.ActivityType == WellKnownTypes.WriteLine && r.EventName == JournalEvents.Completed)
        .Select(r => r.ActivityState?["Text"]?.GetValue<string>() ?? "")
        .ToList();

    public async Task<IReadOnlyList<Bookmark>> BookmarksAsync(string instanceId) =>
        await Store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instanceId), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Scope.Dispose();
        await _services.DisposeAsync();
    }
}
