using Exit.Workflows.Persistence;
using Exit.Workflows.Tenancy;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Exit.Workflows.Triggers;

/// <summary>
/// Keeps one Quartz trigger per Timer, Cron and StartAt trigger activity of each published version, keyed
/// <see cref="StartTriggerKeys.For"/>. Each trigger fires once; <see cref="StartWorkflowJob"/> schedules the next.
/// </summary>
/// <remarks>
/// A trigger whose stored version and schedule match the published version is kept as it is: at start-up that
/// keeps one due while the host was down, which then fires once (misfires ignored, as for bookmark timers).
/// A different version replaces it with a fresh schedule, as Elsa re-indexes triggers on publish.
/// </remarks>
public sealed class StartTriggerScheduler(
    ISchedulerFactory schedulerFactory,
    TriggerOccurrences occurrences,
    TimeProvider clock,
    ILogger<StartTriggerScheduler> logger)
{
    private volatile bool _ready;

    /// <summary>False until the start-up pass ran: before that Quartz may not be up, and the pass covers every change.</summary>
    public bool IsReady => _ready;

    internal void MarkReady() => _ready = true;

    /// <summary>
    /// Makes the definition's triggers match its published version (none when it has none), in the tenant in scope: the
    /// store reads that tenant's versions and the triggers are keyed by it. Templates never start instances: the library
    /// is for adopting, so its definitions have no triggers.
    /// </summary>
    public async Task SyncAsync(string definitionId, IWorkflowDefinitionStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tenantId = TenantScope.Required();
        var published = tenantId == TenantIds.Templates
            ? null
            : await store.FindAsync(definitionId, VersionOptions.Published, ct).ConfigureAwait(false);
        var wanted = published is null ? [] : TriggerDiscovery.Find(published).Where(TriggerDiscovery.IsScheduled).ToList();
        await ApplyAsync(tenantId, definitionId, wanted, ct).ConfigureAwait(false);
    }

    /// <summary>Removes every trigger of a definition of the tenant in scope (deleted).</summary>
    public Task RemoveAsync(string definitionId, CancellationToken ct) => ApplyAsync(TenantScope.Required(), definitionId, [], ct);

    /// <summary>
    /// Schedules the occurrence after now, replacing the trigger under the same key; none when there is no next. The
    /// trigger belongs to the tenant in scope.
    /// </summary>
    public async Task ScheduleNextAsync(WorkflowTrigger trigger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var scheduler = await schedulerFactory.GetScheduler(ct).ConfigureAwait(false);
        await ScheduleAsync(scheduler, TenantScope.Required(), trigger, ct).ConfigureAwait(false);
    }

    private async Task ApplyAsync(string tenantId, string definitionId, IReadOnlyList<WorkflowTrigger> wanted, CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct).ConfigureAwait(false);
        var prefix = StartTriggerKeys.PrefixOf(tenantId, definitionId);
        var existing = (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(StartTriggerKeys.Group), ct).ConfigureAwait(false))
            .Where(k => k.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var wantedKeys = wanted.Select(t => StartTriggerKeys.For(tenantId, t.DefinitionId, t.ActivityId)).ToHashSet();
        var stale = existing.Where(k => !wantedKeys.Contains(k)).ToList();
        if (stale.Count > 0) await scheduler.UnscheduleJobs(stale, ct).ConfigureAwait(false);

        var kept = 0;
        foreach (var trigger in wanted)
        {
            var current = await scheduler.GetTrigger(StartTriggerKeys.For(tenantId, trigger.DefinitionId, trigger.ActivityId), ct).ConfigureAwait(false);
            if (current is not null && Describes(current, tenantId, trigger))
            {
                kept++;
                continue;
            }

            await ScheduleAsync(scheduler, tenantId, trigger, ct).ConfigureAwait(false);
        }

        logger.LogInformation(
            "Start triggers of definition {DefinitionId} in tenant {TenantId}: {Wanted} wanted, {Kept} kept, {Removed} removed",
            definitionId, tenantId, wanted.Count, kept, stale.Count);
    }

    private async Task ScheduleAsync(IScheduler scheduler, string tenantId, WorkflowTrigger trigger, CancellationToken ct)
    {
        var key = StartTriggerKeys.For(tenantId, trigger.DefinitionId, trigger.ActivityId);
        DateTimeOffset? next;
        try
        {
            next = occurrences.Next(trigger);
        }
        catch (FormatException)
        {
            // Publishing validated the input; a stored version the parsers now refuse cannot be scheduled. The
            // message may quote the input, so only the ids are logged.
            logger.LogError("Trigger {ActivityId} of definition {DefinitionId} has an input that does not parse; not scheduled",
                trigger.ActivityId, trigger.DefinitionId);
            await scheduler.UnscheduleJob(key, ct).ConfigureAwait(false);
            return;
        }

        if (next is null)
        {
            await scheduler.UnscheduleJob(key, ct).ConfigureAwait(false);
            logger.LogInformation("Trigger {ActivityId} of definition {DefinitionId} has no further occurrence", trigger.ActivityId, trigger.DefinitionId);
            return;
        }

        var built = TriggerBuilder.Create(clock)
            .WithIdentity(key)
            .ForJob(StartTriggerKeys.Job)
            .WithDescription($"Start workflow {trigger.DefinitionId} at trigger {trigger.ActivityId}")
            .StartAt(next.Value)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.IgnoreMisfires))
            .UsingJobData(StartTriggerKeys.Data.DefinitionId, trigger.DefinitionId)
            .UsingJobData(StartTriggerKeys.Data.VersionId, trigger.VersionId)
            .UsingJobData(StartTriggerKeys.Data.ActivityId, trigger.ActivityId)
            .UsingJobData(StartTriggerKeys.Data.ActivityType, trigger.ActivityType)
            .UsingJobData(StartTriggerKeys.Data.Input, trigger.Input)
            .UsingJobData(StartTriggerKeys.Data.TenantId, tenantId)
            .Build();
        await scheduler.ScheduleTrigger(built, TriggerConflict.Replace, ct).ConfigureAwait(false);
        logger.LogDebug("Trigger {ActivityId} of definition {DefinitionId} next fires at {FireAt:O}", trigger.ActivityId, trigger.DefinitionId, next.Value);
    }

    private static bool Describes(ITrigger current, string tenantId, WorkflowTrigger trigger) =>
        Read(current.JobDataMap) == trigger && ReadTenant(current.JobDataMap) == tenantId;

    /// <summary>The tenant a stored trigger starts instances in; null on a trigger stored before tenancy.</summary>
    internal static string? ReadTenant(JobDataMap data) =>
        data.TryGetValue(StartTriggerKeys.Data.TenantId, out var v) && v is string tenantId && TenantIds.IsValid(tenantId) ? tenantId : null;

    internal static WorkflowTrigger? Read(JobDataMap data)
    {
        string? Get(string key) => data.TryGetValue(key, out var v) ? v as string : null;
        var definitionId = Get(StartTriggerKeys.Data.DefinitionId);
        var versionId = Get(StartTriggerKeys.Data.VersionId);
        var activityId = Get(StartTriggerKeys.Data.ActivityId);
        var type = Get(StartTriggerKeys.Data.ActivityType);
        var input = Get(StartTriggerKeys.Data.Input);
        return definitionId is null || versionId is null || activityId is null || type is null || input is null
            ? null
            : new WorkflowTrigger(definitionId, versionId, activityId, type, input);
    }
}
