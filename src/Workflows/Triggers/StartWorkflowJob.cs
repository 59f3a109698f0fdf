using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>
/// The one job behind every start trigger: starts an instance of the published version at the trigger
/// activity, then schedules the trigger's next occurrence under the same key.
/// </summary>
/// <remarks>
/// The next occurrence is counted from now, not from the missed one, so a host that was down over several
/// occurrences starts one catch-up instance, not one per occurrence. A failed start is logged and not retried
/// (the schedule goes on): re-firing a start could not tell whether the first attempt committed an instance.
/// </remarks>
public sealed class StartWorkflowJob(IServiceScopeFactory scopes, StartTriggerScheduler triggers, ILogger<StartWorkflowJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var fired = StartTriggerScheduler.Read(context.MergedJobDataMap);
        if (fired is null)
        {
            throw new JobExecutionException($"Trigger {context.Trigger.Key} carries no workflow trigger data.") { UnscheduleFiringTrigger = true };
        }

        // The trigger's municipality: its definition is read, and its instance started, there. A trigger stored before
        // tenancy belongs to the first municipality, which is what that database became.
        using var tenant = TenantScope.Enter(StartTriggerScheduler.ReadTenant(context.MergedJobDataMap) ?? TenantIds.Default);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>();
        var published = await store.FindAsync(fired.DefinitionId, VersionOptions.Published, cancellationToken).ConfigureAwait(false);
        var current = published is null
            ? null
            : TriggerDiscovery.Find(published).FirstOrDefault(t => t.ActivityId == fired.ActivityId && t.ActivityType == fired.ActivityType);
        if (current is null)
        {
            // Retracted or changed since this trigger was stored, and the sync that should have removed it did not run.
            logger.LogWarning("Trigger {ActivityId} of definition {DefinitionId} is no longer published; dropped", fired.ActivityId, fired.DefinitionId);
            await triggers.SyncAsync(fired.DefinitionId, store, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var runtime = scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();
            var result = await runtime.StartAsync(
                new StartWorkflowRequest(current.DefinitionId, VersionOptions.Published, Trigger: new WorkflowTriggerStart(current.ActivityId)),
                cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Trigger {ActivityId} of definition {DefinitionId} (version {VersionId}) started instance {InstanceId}",
                current.ActivityId, current.DefinitionId, current.VersionId, result.InstanceId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Trigger {ActivityId} of definition {DefinitionId} failed to start an instance", current.ActivityId, current.DefinitionId);
        }
        finally
        {
            await triggers.ScheduleNextAsync(current, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
