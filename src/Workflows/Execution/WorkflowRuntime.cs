using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Workflows.Execution;

/// <summary>
/// Runs Elsa 3 workflow definitions: each call loads what it needs, runs one burst and commits it in one
/// <see cref="InstanceCommit"/>. Resumes, cancels and retries reload and try again on a concurrency conflict;
/// a bookmark that is gone after a reload means someone else already resumed it, so a step never runs twice.
/// </summary>
public sealed class WorkflowRuntime : IWorkflowRuntime
{
    private readonly IWorkflowDefinitionStore _definitions;
    private readonly IWorkflowInstanceStore _instances;
    private readonly ActivityRegistry _registry;
    private readonly IExpressionEvaluator _evaluator;
    private readonly IIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly WorkflowRuntimeOptions _options;
    private readonly IBookmarkScheduler _scheduler;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly TimeZoneInfo _timeZone;

    public WorkflowRuntime(
        IWorkflowDefinitionStore definitions,
        IWorkflowInstanceStore instances,
        ActivityRegistry registry,
        IExpressionEvaluator evaluator,
        IIdGenerator ids,
        TimeProvider time,
        WorkflowRuntimeOptions options,
        IServiceProvider services,
        IBookmarkScheduler? scheduler = null,
        ILogger<WorkflowRuntime>? logger = null)
    {
        _definitions = definitions;
        _instances = instances;
        _registry = registry;
        _evaluator = evaluator;
        _ids = ids;
        _time = time;
        _options = options;
        // No scheduler registered: nothing wakes timers (tests that resume due bookmarks themselves).
        _scheduler = scheduler ?? new NullBookmarkScheduler();
        _services = services;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeZone = options.ResolveTimeZone();
    }

    public async Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct)
    {
        var versions = request.Versions ?? VersionOptions.Published;
        var definition = (request.DefinitionVersionId is { } versionId
                             ? await _definitions.FindByIdAsync(versionId, ct) is { } v && v.DefinitionId == request.DefinitionId ? v : null
                             : await _definitions.FindAsync(request.DefinitionId, versions, ct))
                         ?? throw new WorkflowDefinitionNotFoundException(request.DefinitionId, versions);
        var now = _time.GetUtcNow();
        var instance = new WorkflowInstance
        {
            Id = request.InstanceId ?? _ids.NewId(),
            // The caller's municipality: the definition was found in it, and every row of the instance will carry it.
            TenantId = TenantScope.Required(),
            DefinitionId = definition.DefinitionId,
            DefinitionVersionId = definition.Id,
            DefinitionVersion = definition.Version,
            CorrelationId = request.CorrelationId,
            Name = definition.Name,
            Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Input = request.Input?.DeepClone().AsObject() ?? new JsonObject(),
        };
        using var scope = BeginScope(instance);
        using var span = Exit.Workflows.Diagnostics.WorkflowTelemetry.StartRun("start", instance);
        _logger.LogInformation("Starting workflow instance of definition version {DefinitionVersion}", definition.Version);
        var execution = CreateExecution(instance, definition, [], isNew: true);
        execution.Trigger = request.Trigger;
        execution.ScheduleStart();
        await execution.RunAsync(ct);
        // The caller's effects (e.g. the Host's audit entry of the run) are written in the new instance's transaction.
        await CommitAsync(execution, request.Effects, ct);
        return execution.ToResult();
    }

    public async Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            // One read for the instance and its bookmarks, found through the bookmark (the store may do it in one round
            // trip); on the first attempt the caller's, when it read them along with its own row.
            var found = attempt == 0 && request.ReadBefore is { } before
                ? before
                : await _instances.FindByBookmarkAsync(request.BookmarkId, ct);
            if (found is null) return null;
            var (instance, bookmarks) = found;
            // The bookmarks are read after the instance: a concurrent resume that won (and perhaps finished the
            // instance) removed this bookmark in its commit, and the loser must answer "gone".
            var bookmark = bookmarks.FirstOrDefault(b => b.Id == request.BookmarkId);
            if (bookmark is null) return null;
            // Activities run (and their effects are stamped) in the instance's own tenant, whatever the caller's is.
            using var tenant = TenantScope.Enter(instance.TenantId);
            var definition = await DefinitionOfAsync(instance, ct);
            using var scope = BeginScope(instance);
            using var span = Exit.Workflows.Diagnostics.WorkflowTelemetry.StartRun("resume", instance);
            if (instance.Status == WorkflowStatus.Finished)
            {
                _logger.LogInformation("Bookmark {BookmarkId} belongs to a finished instance; not resumed", bookmark.Id);
                return Result(instance, bookmarks);
            }

            var execution = CreateExecution(instance, definition, bookmarks, isNew: false);
            if (!execution.ScheduleResume(bookmark, request.Input))
                _logger.LogWarning("Bookmark {BookmarkId} points at no running activity; it is burnt", bookmark.Id);
            await execution.RunAsync(ct);
            if (await TryCommitAsync(execution, request.Effects, attempt, ct)) return execution.ToResult();
        }
    }

    public async Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct)
    {
        var bookmarks = await _instances.FindBookmarksAsync(
            new BookmarkFilter(Kind: WellKnownTypes.Event, Key: eventName, CorrelationId: correlationId), ct);
        var results = new List<WorkflowRunResult>();
        foreach (var b in bookmarks)
        {
            var result = await ResumeAsync(new ResumeBookmarkRequest(b.Id, payload?.DeepClone()), ct);
            if (result is not null) results.Add(result);
        }
        return results;
    }

    public async Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var loaded = await LoadAsync(instanceId, ct);
            if (loaded is null) return null;
            var (instance, definition, bookmarks) = loaded.Value;
            using var tenant = TenantScope.Enter(instance.TenantId);
            using var scope = BeginScope(instance);
            if (instance.Status == WorkflowStatus.Finished) return Result(instance, bookmarks);
            var execution = CreateExecution(instance, definition, bookmarks, isNew: false);
            execution.Cancel();
            if (await TryCommitAsync(execution, null, attempt, ct))
            {
                _logger.LogInformation("Workflow instance cancelled");
                return execution.ToResult();
            }
        }
    }

    public async Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var loaded = await LoadAsync(instanceId, ct);
            if (loaded is null) return null;
            var (instance, definition, bookmarks) = loaded.Value;
            using var tenant = TenantScope.Enter(instance.TenantId);
            using var scope = BeginScope(instance);
            if (instance.SubStatus != WorkflowSubStatus.Faulted && instance.ActivityInstances.All(a => a.Status != ActivityStatus.Faulted))
                return Result(instance, bookmarks);
            var execution = CreateExecution(instance, definition, bookmarks, isNew: false);
            if (execution.ScheduleRetry() == 0) return Result(instance, bookmarks);
            _logger.LogInformation("Retrying faulted activities");
            await execution.RunAsync(ct);
            if (!await TryCommitAsync(execution, null, attempt, ct)) continue;
            // Timers that fell due while the instance was faulted were refused; announce them again (idempotent).
            var waiting = execution.Bookmarks.Where(b => b.DueAt is not null).ToList();
            if (waiting.Count > 0) await _scheduler.OnCommittedAsync(waiting, [], ct);
            return execution.ToResult();
        }
    }

    private async Task<(WorkflowInstance, WorkflowDefinitionVersion, IReadOnlyList<Bookmark>)?> LoadAsync(string instanceId, CancellationToken ct)
    {
        var instance = await _instances.FindAsync(instanceId, ct);
        if (instance is null) return null;
        var definition = await DefinitionOfAsync(instance, ct);
        var bookmarks = await _instances.FindBookmarksAsync(new BookmarkFilter(InstanceId: instance.Id), ct);
        return (instance, definition, bookmarks);
    }

    private async Task<WorkflowDefinitionVersion> DefinitionOfAsync(WorkflowInstance instance, CancellationToken ct) =>
        await _definitions.FindByIdAsync(instance.DefinitionVersionId, ct)
        ?? throw new InvalidOperationException(
            $"Definition version '{instance.DefinitionVersionId}' of instance '{instance.Id}' no longer exists.");

    private WorkflowExecution CreateExecution(WorkflowInstance instance, WorkflowDefinitionVersion definition, IReadOnlyList<Bookmark> bookmarks, bool isNew) =>
        new(instance, definition, bookmarks, isNew, _services, _registry, _evaluator, _ids, _time, _options, _timeZone, _logger);

    private async Task<bool> TryCommitAsync(WorkflowExecution execution, IReadOnlyList<object>? effects, int attempt, CancellationToken ct)
    {
        try
        {
            await CommitAsync(execution, effects, ct);
            return true;
        }
        catch (ConcurrencyConflictException) when (attempt < _options.MaxConcurrencyRetries)
        {
            _logger.LogInformation("Concurrency conflict on commit (attempt {Attempt}); reloading", attempt + 1);
            return false;
        }
    }

    private async Task CommitAsync(WorkflowExecution execution, IReadOnlyList<object>? effects, CancellationToken ct)
    {
        var commit = execution.BuildCommit(effects);
        using (Exit.Workflows.Diagnostics.WorkflowTelemetry.StartCommit()) await _instances.CommitAsync(commit, ct);
        Exit.Workflows.Diagnostics.WorkflowTelemetry.Committed(commit, execution.Resumed, _time.GetUtcNow());
        // A pending wake-up the commit's own transaction held (PostgreSQL cluster) already covers its timers.
        var timers = commit.TimersCovered ? [] : commit.AddedBookmarks.Where(b => b.DueAt is not null).ToList();
        // Only timer bookmarks have triggers to drop: a resumed task or event bookmark costs the scheduler nothing.
        var removedTimers = commit.RemovedBookmarkIds.Where(execution.RemovedTimer).ToList();
        if (timers.Count > 0 || removedTimers.Count > 0)
            await _scheduler.OnCommittedAsync(timers, removedTimers, ct);
        _logger.LogDebug("Committed: {Status}/{SubStatus}, {Added} bookmarks added, {Removed} removed, {Journal} journal records",
            commit.Instance.Status, commit.Instance.SubStatus, commit.AddedBookmarks.Count, commit.RemovedBookmarkIds.Count, commit.Journal.Count);
    }

    private static WorkflowRunResult Result(WorkflowInstance instance, IReadOnlyList<Bookmark> bookmarks) =>
        new(instance.Id, instance.Status, instance.SubStatus, bookmarks, instance.Incidents.ToList());

    private IDisposable? BeginScope(WorkflowInstance instance) =>
        _logger.BeginScope(new Dictionary<string, object?>
        {
            ["InstanceId"] = instance.Id,
            ["DefinitionId"] = instance.DefinitionId,
            ["TenantId"] = instance.TenantId,
        });
}

/// <summary>No version of the definition matches: usually a definition that was never published.</summary>
public sealed class WorkflowDefinitionNotFoundException(string definitionId, VersionOptions versions)
    : Exception(versions.Selector == VersionSelector.Published
        ? $"Workflow definition '{definitionId}' has no published version; publish it before starting instances."
        : $"Workflow definition '{definitionId}' has no version matching {versions.Selector}{(versions.Version is { } v ? $" {v}" : "")}.")
{
    public string DefinitionId { get; } = definitionId;
}
