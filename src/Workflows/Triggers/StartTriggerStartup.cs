using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>
/// At start-up, after Quartz and the definitions folder: stores the start job, then syncs the triggers of every
/// published definition and of every definition that still has triggers (retracted or deleted meanwhile).
/// From then on <see cref="TriggerSyncingDefinitionStore"/> keeps them in line.
/// </summary>
public sealed class StartTriggerStartup(
    ISchedulerFactory schedulerFactory,
    StartTriggerScheduler triggers,
    IServiceScopeFactory scopes,
    ILogger<StartTriggerStartup> logger) : IHostedService
{
    private const int PageSize = 500;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var job = JobBuilder.Create<StartWorkflowJob>()
            .WithIdentity(StartTriggerKeys.Job)
            .WithDescription("Starts a workflow instance at a Timer, Cron or StartAt trigger")
            .StoreDurably()
            .Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        // Ready before the pass: a publish racing it is synced by itself, and syncing twice is harmless.
        triggers.MarkReady();

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>();
        var definitionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; ; page++)
        {
            var found = await store.ListSummariesAsync(
                new DefinitionFilter(VersionOptions.Published, Page: page, PageSize: PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var summary in found.Items) definitionIds.Add(summary.DefinitionId);
            if (found.Items.Count < PageSize) break;
        }

        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(StartTriggerKeys.Group), cancellationToken).ConfigureAwait(false))
        {
            var trigger = await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false);
            if (trigger is not null && StartTriggerScheduler.Read(trigger.JobDataMap) is { } stored) definitionIds.Add(stored.DefinitionId);
        }

        foreach (var definitionId in definitionIds)
            await triggers.SyncAsync(definitionId, store, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Start triggers synced for {Count} definitions", definitionIds.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
