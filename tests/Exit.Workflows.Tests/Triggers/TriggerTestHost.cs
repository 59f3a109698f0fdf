using Exit.Testing;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Hosting;
using Exit.Workflows.Timers.Sweep;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;
using Exit.Workflows.Triggers;
using Quartz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SchedulingOptions = Exit.Workflows.Timers.SchedulingOptions;

namespace Exit.Workflows.Tests.Triggers;

/// <summary>
/// The whole runtime as the Host registers it (<see cref="ExitWorkflowsServiceCollectionExtensions.AddExitWorkflows"/>):
/// EF store and Quartz's persistent store on one test database, driven by a manual clock. Stopping and starting
/// another host on the same database is a restart.
/// </summary>
public sealed class TriggerTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started = [];

    private TriggerTestHost(ServiceProvider services) => _services = services;

    public DefinitionPublisher Publisher => _services.GetRequiredService<DefinitionPublisher>();

    public IWorkflowInstanceStore Instances => _services.GetRequiredService<IWorkflowInstanceStore>();

    public IServiceProvider Services => _services;

    public static async Task<TriggerTestHost> StartAsync(ITestDatabase database, ManualTimeProvider clock, string schedulerName, string? definitionsFolder = null,
        Action<IServiceCollection>? configure = null, Action<SchedulingOptions>? scheduling = null)
    {
        var schedulingOptions = new SchedulingOptions { SchedulerName = schedulerName };
        scheduling?.Invoke(schedulingOptions);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostApplicationLifetime, Lifetime>();
        services.AddSingleton<TimeProvider>(clock);
        services.AddExitWorkflows(new ExitWorkflowOptions
        {
            Database = new DatabaseOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString },
            Scheduling = schedulingOptions,
            DefinitionsFolder = definitionsFolder,
        });
        configure?.Invoke(services);
        var host = new TriggerTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        foreach (var hosted in host._services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }
        return host;
    }

    public async Task<IReadOnlyList<WorkflowInstanceSummary>> InstancesOfAsync(string definitionId)
    {
        var page = await Instances.ListAsync(new InstanceFilter(DefinitionId: definitionId, PageSize: 1000, Descending: false), CancellationToken.None);
        return page.Items;
    }

    /// <summary>The names of the stored start triggers (Quartz's own store, not the runtime's view).</summary>
    public async Task<IReadOnlyList<string>> StartTriggerNamesAsync()
    {
        var scheduler = await _services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        var keys = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(StartTriggerKeys.Group), CancellationToken.None);
        return keys.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The names of the stored Quartz triggers of a group.</summary>
    public async Task<IReadOnlyList<string>> TriggerNamesAsync(string group)
    {
        var scheduler = await _services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        var keys = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(group), CancellationToken.None);
        return keys.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<WorkflowRunResult> StartWorkflowAsync(string definitionId)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest(definitionId), CancellationToken.None);
    }

    public async Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string name, string? correlationId, System.Text.Json.Nodes.JsonNode? payload)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().PublishEventAsync(name, correlationId, payload, CancellationToken.None);
    }

    /// <summary>Waits (real time) until the definition has <paramref name="count"/> instances, then a little longer to catch extras.</summary>
    public async Task<IReadOnlyList<WorkflowInstanceSummary>> WaitForInstancesAsync(string definitionId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await InstancesOfAsync(definitionId)).Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {count} instances of {definitionId}, have {(await InstancesOfAsync(definitionId)).Count}.");
            await Task.Delay(25);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return await InstancesOfAsync(definitionId);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--) await _started[i].StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
