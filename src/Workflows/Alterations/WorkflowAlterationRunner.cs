using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Workflows.Alterations;

/// <summary>
/// Applies a list of alterations to one instance, all or nothing, in one commit (the runtime's commit: instance header
/// and state, bookmarks and journal together, optimistic concurrency). Migrate alterations are applied first, the others
/// in the order given, on the version the instance ends up on. A dry run does the same work in memory and stores nothing.
/// The journal gets one <c>Altered</c> entry naming what was altered and by whom.
/// </summary>
public sealed class WorkflowAlterationRunner(
    IWorkflowDefinitionStore definitions,
    IWorkflowInstanceStore instances,
    ActivityRegistry registry,
    IExpressionEvaluator evaluator,
    IIdGenerator ids,
    TimeProvider time,
    WorkflowRuntimeOptions options,
    IServiceProvider services,
    IBookmarkScheduler? scheduler = null,
    ILogger<WorkflowAlterationRunner>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly IBookmarkScheduler _scheduler = scheduler ?? new NullBookmarkScheduler();

    public Task<AlterationOutcome> DryRunAsync(string instanceId, IReadOnlyList<Alteration> alterations, CancellationToken ct) =>
        RunAsync(instanceId, alterations, actor: null, commit: false, ct);

    /// <param name="actor">Who alters (a user id), written to the journal.</param>
    /// <param name="effectsFor">
    /// Extra commit effects made from the outcome: a bulk plan marks its job done, and the audit entry of the change is
    /// written, in the same commit as the altered instance.
    /// </param>
    public Task<AlterationOutcome> ApplyAsync(string instanceId, IReadOnlyList<Alteration> alterations, string actor, CancellationToken ct,
        Func<AlterationOutcome, IReadOnlyList<object>>? effectsFor = null) =>
        RunAsync(instanceId, alterations, actor, commit: true, ct, effectsFor);

    private async Task<AlterationOutcome> RunAsync(string instanceId, IReadOnlyList<Alteration> alterations, string? actor, bool commit, CancellationToken ct,
        Func<AlterationOutcome, IReadOnlyList<object>>? effectsFor = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var prepared = await PrepareAsync(instanceId, alterations, actor, ct);
            if (!commit || prepared.Execution is null) return prepared.Outcome;
            try
            {
                await CommitAsync(prepared, effectsFor?.Invoke(prepared.Outcome), ct);
                _logger.LogInformation("Instance {InstanceId} altered ({Alterations}) by {Actor}",
                    instanceId, string.Join(",", alterations.Select(a => a.Type)), actor);
                return prepared.Outcome;
            }
            catch (ConcurrencyConflictException) when (attempt < options.MaxConcurrencyRetries)
            {
                // The instance moved on (a task completed, a timer fired) while we altered it: start over from its new state.
                _logger.LogInformation("Alteration of {InstanceId} met a concurrent commit (attempt {Attempt}); reloading", instanceId, attempt + 1);
            }
        }
    }

    private sealed record Prepared(AlterationOutcome Outcome, WorkflowExecution? Execution, IReadOnlySet<string> RewrittenBookmarkIds);

    private async Task<Prepared> PrepareAsync(string instanceId, IReadOnlyList<Alteration> alterations, string? actor, CancellationToken ct)
    {
        var log = new List<string>();
        Prepared Refuse(params AlterationProblem[] problems) => new(AlterationOutcome.Refused(instanceId, problems, log), null, new HashSet<string>());

        var instance = await instances.FindAsync(instanceId, ct);
        if (instance is null) return Refuse(new AlterationProblem(AlterationProblem.InstanceNotFound, $"Instance '{instanceId}' does not exist."));
        if (instance.Status != WorkflowStatus.Running)
            return Refuse(new AlterationProblem(AlterationProblem.InstanceNotRunning, $"The instance is {instance.SubStatus}; only running instances can be altered."));
        var definition = await definitions.FindByIdAsync(instance.DefinitionVersionId, ct)
                         ?? throw new InvalidOperationException($"Definition version '{instance.DefinitionVersionId}' of instance '{instance.Id}' no longer exists.");
        IReadOnlyList<Bookmark> bookmarks = await instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), ct);
        var fromVersion = instance.DefinitionVersion;
        var rewritten = new HashSet<string>(StringComparer.Ordinal);

        foreach (var migrate in alterations.OfType<MigrateAlteration>())
        {
            if (migrate.TargetVersion == instance.DefinitionVersion)
            {
                log.Add($"Already on version {migrate.TargetVersion}.");
                continue;
            }
            var target = await definitions.FindAsync(instance.DefinitionId, new VersionOptions(VersionSelector.Specific, migrate.TargetVersion), ct);
            if (target is null)
                return Refuse(new AlterationProblem(AlterationProblem.TargetVersionNotFound, $"The definition has no version {migrate.TargetVersion}."));
            if (target is { IsLatest: true, IsPublished: false })
                return Refuse(new AlterationProblem(AlterationProblem.TargetVersionIsDraft, $"Version {migrate.TargetVersion} is a draft; publish it first."));
            var (migrated, problems) = InstanceMigration.Migrate(instance, bookmarks, definition, target, migrate);
            if (migrated is null) return Refuse(problems.ToArray());
            log.Add($"Migrated from version {instance.DefinitionVersion} to version {target.Version}.");
            log.AddRange(migrated.Log);
            instance = migrated.Instance;
            bookmarks = migrated.Bookmarks;
            definition = target;
            rewritten.UnionWith(migrated.RewrittenBookmarkIds);
        }

        var execution = new WorkflowExecution(instance, definition, bookmarks, isNew: false, services, registry, evaluator, ids, time, options,
            options.ResolveTimeZone(), _logger);
        var refused = new List<AlterationProblem>();
        foreach (var alteration in alterations)
        {
            switch (alteration)
            {
                case ModifyVariableAlteration m:
                    Check(execution.AlterVariable(m.VariableId, m.Value?.DeepClone()), AlterationProblem.VariableValueInvalid, variableId: m.VariableId,
                        done: $"Variable '{m.VariableId}' set.");
                    break;
                case ScheduleActivityAlteration s:
                    Check(execution.AlterScheduleActivity(s.ActivityId), AlterationProblem.AlterationRefused, activityId: s.ActivityId,
                        done: $"Activity '{s.ActivityId}' scheduled.");
                    break;
                case CancelActivityAlteration c:
                    Check(execution.AlterCancelActivity(c.ActivityId, c.ActivityInstanceId), AlterationProblem.AlterationRefused, activityId: c.ActivityId,
                        done: $"Activity '{c.ActivityInstanceId ?? c.ActivityId}' cancelled.");
                    break;
            }
        }
        if (refused.Count > 0) return Refuse(refused.ToArray());

        await execution.RunAsync(ct);
        var payload = new JsonObject
        {
            ["alterations"] = new JsonArray(alterations.Select(a => (JsonNode?)JsonValue.Create(a.Type)).ToArray()),
            ["alteredBy"] = actor,
            ["fromVersion"] = fromVersion,
            ["toVersion"] = execution.Instance.DefinitionVersion,
        };
        execution.JournalAlteration($"Altered by {actor ?? "(dry run)"}: {string.Join(" ", log)}", payload);
        return new Prepared(new AlterationOutcome(instanceId, true, [], log, fromVersion, execution.Instance.DefinitionVersion), execution, rewritten);

        void Check(string? problem, string code, string done, string? activityId = null, string? variableId = null)
        {
            if (problem is null) log.Add(done);
            else refused.Add(new AlterationProblem(code, problem, activityId, variableId));
        }
    }

    private async Task CommitAsync(Prepared prepared, IReadOnlyList<object>? effects, CancellationToken ct)
    {
        var execution = prepared.Execution!;
        var built = execution.BuildCommit(effects);
        // A bookmark whose activity moved is written again under its own id: deleted and inserted in the same transaction.
        var standing = execution.Bookmarks.ToDictionary(b => b.Id);
        var removed = built.RemovedBookmarkIds.Concat(prepared.RewrittenBookmarkIds.Where(id => !built.RemovedBookmarkIds.Contains(id))).ToList();
        var added = built.AddedBookmarks
            .Concat(prepared.RewrittenBookmarkIds.Where(standing.ContainsKey).Where(id => built.AddedBookmarks.All(b => b.Id != id)).Select(id => standing[id]))
            .ToList();
        var commit = built with { AddedBookmarks = added, RemovedBookmarkIds = removed };
        await instances.CommitAsync(commit, ct);
        var timers = added.Where(b => b.DueAt is not null).ToList();
        var removedTimers = removed.Where(execution.RemovedTimer).ToList();
        if (timers.Count > 0 || removedTimers.Count > 0) await _scheduler.OnCommittedAsync(timers, removedTimers, ct);
    }
}
