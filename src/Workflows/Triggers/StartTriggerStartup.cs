using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>
/// At start-up, after Quartz and the definitions folder: stores the start job, then, in each municipality of
/// <see cref="ITenantDirectory"/>, syncs the triggers of every published definition and of every definition that still
/// has triggers (retracted or deleted meanwhile).
/// From then on <see cref="TriggerSyncingDefinitionStore"/> keeps them in line.
/// </summary>
public sealed class StartTriggerStartup(
    ISchedulerFactory schedulerFactory,
    StartTriggerScheduler triggers,
    IServiceScopeFactory scopes,
    ITenantDirectory tenants,
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
        // Per municipality: its published definitions, and those that still have triggers (retracted or deleted meanwhile).
        var byTenant = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> Of(string tenantId) =>
            byTenant.TryGetValue(tenantId, out var set) ? set : byTenant[tenantId] = new HashSet<string>(StringComparer.Ordinal);

        foreach (var tenant in await tenants.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            using var inTenant = TenantScope.Enter(tenant.Id);
            var definitionIds = Of(tenant.Id);
            for (var page = 0; ; page++)
            {
                var found = await store.ListSummariesAsync(
                    new DefinitionFilter(VersionOptions.Published, Page: page, PageSize: PageSize), cancellationToken).ConfigureAwait(false);
                foreach (var summary in found.Items) definitionIds.Add(summary.DefinitionId);
                if (found.Items.Count < PageSize) break;
            }
        }

        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(StartTriggerKeys.Group), cancellationToken).ConfigureAwait(false))
        {
            var trigger = await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false);
            if (trigger is null || StartTriggerScheduler.Read(trigger.JobDataMap) is not { } stored) continue;
            if (StartTriggerScheduler.ReadTenant(trigger.JobDataMap) is { } tenantId)
            {
                Of(tenantId).Add(stored.DefinitionId);
                continue;
            }
            // Stored before tenancy (key without a tenant): the database it served became the first municipality, whose
            // sync below schedules the trigger again under its tenant key. A missed occurrence is not caught up.
            await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
            Of(TenantIds.Default).Add(stored.DefinitionId);
        }

        foreach (var (tenantId, definitionIds) in byTenant)
        {
            using var inTenant = TenantScope.Enter(tenantId);
            foreach (var definitionId in definitionIds)
                await triggers.SyncAsync(definitionId, store, cancellationToken).ConfigureAwait(false);
        }
        logger.LogInformation("Start triggers synced for {Count} definitions in {Tenants} tenants", byTenant.Values.Sum(d => d.Count), byTenant.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
