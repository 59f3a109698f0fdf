using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Execution;

/// <summary>
/// One burst of execution over one instance (semantics §0): a FIFO queue of work items, run until empty.
/// Holds everything the burst changes — activity instances, bookmarks, journal, effects — and turns it into
/// one <see cref="InstanceCommit"/>. Not thread-safe; one burst runs on one thread of control.
/// </summary>
internal sealed partial class WorkflowExecution
{
    private enum WorkKind { Execute, Resume, Retry }

    private sealed record WorkItem(string NodeId, string? ParentInstanceId, WorkKind Kind, string? ActivityInstanceId = null, ResumeInput? Resume = null);

    private readonly LinkedList<WorkItem> _queue = new();
    private readonly Dictionary<string, ActivityInstance> _instances = new(StringComparer.Ordinal);
    private readonly List<ActivityInstance> _order = new();
    private readonly Dictionary<string, List<ActivityInstance>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bookmark> _bookmarks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removedTimerIds = new(StringComparer.Ordinal);
    private readonly List<Bookmark> _addedBookmarks = new();
    private readonly List<string> _removedBookmarkIds = new();
    private readonly List<Bookmark> _discardedBookmarks = new();
    private readonly List<JournalRecord> _journal = new();
    private readonly Dictionary<string, string> _pendingMessages = new(StringComparer.Ordinal);
    private readonly ActivityRegistry _registry;
    private readonly IIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly WorkflowRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly long? _expectedVersion;

    public WorkflowExecution(
        WorkflowInstance instance,
        WorkflowDefinitionVersion definition,
        IReadOnlyList<Bookmark> bookmarks,
        bool isNew,
        IServiceProvider services,
        ActivityRegistry registry,
        IExpressionEvaluator evaluator,
        IIdGenerator ids,
        TimeProvider time,
        WorkflowRuntimeOptions options,
        TimeZoneInfo timeZone,
        ILogger logger)
    {
        Instance = instance;
        Definition = definition;
        Graph = GraphIndex.For(definition.Graph);
        Services = services;
        Evaluator = evaluator;
        TimeZone = timeZone;
        _registry = registry;
        _ids = ids;
        _time = time;
        _options = options;
        _logger = logger;
        _expectedVersion = isNew ? null : instance.ConcurrencyVersion;
        foreach (var a in instance.ActivityInstances) Track(a);
        foreach (var b in bookmarks) _bookmarks[b.Id] = b;
    }

    public WorkflowInstance Instance { get; }
    public WorkflowDefinitionVersion Definition { get; }
    public GraphIndex Graph { get; }
    public IServiceProvider Services { get; }
    public IExpressionEvaluator Evaluator { get; }
    public TimeZoneInfo TimeZone { get; }
    public List<object> Effects { get; } = new();
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The trigger this new instance was started by; consumed when the root flowchart starts there.</summary>
    public WorkflowTriggerStart? Trigger { get; set; }

    /// <summary>Bookmarks of the instance as they stand after this burst.</summary>
    public IReadOnlyList<Bookmark> Bookmarks => _bookmarks.Values.ToList();

    /// <summary>Whether this burst removed the bookmark and it had a due time (a timer): only timers have scheduler triggers.</summary>
    /// <summary>The bookmark this burst resumes (metrics: its kind, and a timer's lag); null for starts, cancels and retries.</summary>
    public Bookmark? Resumed { get; private set; }

    public bool RemovedTimer(string bookmarkId) => _removedTimerIds.Contains(bookmarkId);

    // ---------------------------------------------------------------- entry points

    /// <summary>Starts a new instance: the Workflow activity runs, declares its variables and schedules the root.</summary>
    public void ScheduleStart()
    {
        var workflow = CreateInstance(Graph.WorkflowNode, null);
        Journal(workflow, JournalEvents.Started);
        DeclareVariables(Graph.WorkflowNode);
        Enqueue(new WorkItem(Graph.Graph.Root.NodeId, workflow.Id, WorkKind.Execute));
    }

    /// <summary>Queues the resume of a bookmark and burns it.</summary>
    public bool ScheduleResume(Bookmark bookmark, JsonNode? input)
    {
        Resumed = bookmark;
        RemoveBookmark(bookmark.Id, discarded: false);
        if (!_instances.TryGetValue(bookmark.ActivityInstanceId, out var target) || target.Status != ActivityStatus.Running)
            return false;
        Enqueue(new WorkItem(target.NodeId, target.ParentId, WorkKind.Resume, target.Id,
            new ResumeInput(bookmark.Id, bookmark.Key, bookmark.Payload, input)));
        return true;
    }

    /// <summary>Queues every faulted activity instance to run again; the incidents stay as history.</summary>
    public int ScheduleRetry()
    {
        var faulted = _order.Where(a => a.Status == ActivityStatus.Faulted).ToList();
        foreach (var a in faulted)
        {
            a.Status = ActivityStatus.Running;
            Enqueue(new WorkItem(a.NodeId, a.ParentId, WorkKind.Retry, a.Id));
        }
        if (faulted.Count > 0)
        {
            Instance.Status = WorkflowStatus.Running;
            Instance.SubStatus = WorkflowSubStatus.Executing;
            Instance.Fault = null;
            Instance.FinishedAt = null;
        }
        return faulted.Count;
    }

    /// <summary>Cancels the whole instance: every unfinished activity, every bookmark.</summary>
    public void Cancel()
    {
        _queue.Clear();
        var workflow = _order.FirstOrDefault(a => a.ParentId is null);
        foreach (var child in workflow is null ? [] : ChildrenOf(workflow).ToList())
            CancelActivity(child, checkParent: false);
        foreach (var a in _order.Where(IsUnfinished).Where(a => a != workflow).ToList())
            CancelActivity(a, checkParent: false);
        foreach (var id in _bookmarks.Keys.ToList()) RemoveBookmark(id, discarded: true);
        if (workflow is not null && IsUnfinished(workflow))
        {
            workflow.Status = ActivityStatus.Canceled;
            Journal(workflow, JournalEvents.Canceled, message: "Workflow cancelled");
        }
        Instance.Status = WorkflowStatus.Finished;
        Instance.SubStatus = WorkflowSubStatus.Cancelled;
        Instance.FinishedAt = Now;
    }

    /// <summary>Runs the queue until it is empty (§0.2), then settles the status.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Instance.Status == WorkflowStatus.Running) Instance.SubStatus = WorkflowSubStatus.Executing;
        var count = 0;
        while (_queue.First is { } first)
        {
            ct.ThrowIfCancellationRequested();
            _queue.RemoveFirst();
            if (++count > _options.MaxWorkItemsPerBurst)
            {
                _queue.Clear();
                var message = $"The burst exceeded {_options.MaxWorkItemsPerBurst} work items (an endless loop?).";
                var node = Graph.Find(first.Value.NodeId);
                Instance.Incidents.Add(new Incident(node?.Id ?? "", first.Value.NodeId, first.Value.ActivityInstanceId ?? "",
                    node?.Type ?? "", typeof(InvalidOperationException).FullName!, message, Now));
                _logger.LogWarning("Burst stopped after {Count} work items", _options.MaxWorkItemsPerBurst);
                FaultInstance(message);
                break;
            }
            await RunItemAsync(first.Value);
        }

        if (Instance.Status == WorkflowStatus.Running)
        {
            var workflowDone = _order.FirstOrDefault(a => a.ParentId is null)?.Status is ActivityStatus.Completed;
            var unfinished = !workflowDone && _order.Any(a => a.Status is ActivityStatus.Running or ActivityStatus.Pending or ActivityStatus.Faulted);
            Instance.SubStatus = unfinished ? WorkflowSubStatus.Suspended : WorkflowSubStatus.Finished;
            if (!unfinished)
            {
                Instance.Status = WorkflowStatus.Finished;
                Instance.FinishedAt = Now;
            }
        }
    }

    /// <summary>Builds the commit: only unfinished activity instances stay in the state document.</summary>
    public InstanceCommit BuildCommit(IEnumerable<object>? extraEffects = null)
    {
        if (Instance.Status == WorkflowStatus.Finished && Instance.SubStatus != WorkflowSubStatus.Faulted)
        {
            foreach (var id in _bookmarks.Keys.ToList()) RemoveBookmark(id, discarded: true);
            Instance.ActivityInstances = new List<ActivityInstance>();
        }
        else
        {
            Instance.ActivityInstances = _order.Where(IsUnfinished).ToList();
        }
        Instance.UpdatedAt = Now;
        Instance.ConcurrencyVersion = (_expectedVersion ?? 0) + 1;
        var effects = new List<object>();
        if (extraEffects is not null) effects.AddRange(extraEffects);
        effects.AddRange(Effects);
        if (_discardedBookmarks.Count > 0)
            effects.Add(new BookmarksDiscarded(Instance.Id, _discardedBookmarks.Select(b => b.Id).ToList(),
                _discardedBookmarks.Where(b => b.Key is not null).Select(b => b.Key!).ToList()));
        var removed = _removedBookmarkIds.Where(id => _addedBookmarks.All(b => b.Id != id)).ToList();
        var added = _addedBookmarks.Where(b => _bookmarks.ContainsKey(b.Id)).ToList();
        return new InstanceCommit(Instance, _expectedVersion, added, removed, _journal.ToList(), effects);
    }

    public WorkflowRunResult ToResult() =>
        new(Instance.Id, Instance.Status, Instance.SubStatus, Bookmarks, Instance.Incidents.ToList());

    // ---------------------------------------------------------------- the loop body

    private async Task RunItemAsync(WorkItem item)
    {
        var node = Graph.Find(item.NodeId);
        if (node is null)
        {
            _logger.LogWarning("Work item for unknown node {NodeId} skipped", item.NodeId);
            return;
        }

        ActivityInstance instance;
        if (item.Kind == WorkKind.Execute)
        {
            instance = CreateInstance(node, item.ParentInstanceId);
        }
        else if (item.ActivityInstanceId is null || !_instances.TryGetValue(item.ActivityInstanceId, out instance!) || instance.Status != ActivityStatus.Running)
        {
            return;
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["ActivityId"] = node.Id, ["ActivityType"] = node.Type });
        var descriptor = _registry.Find(node.Type, node.Version) ?? _registry.FindLatest(node.Type);
        var context = new ActivityExecutionContext(this, node, instance, descriptor);
        try
        {
            if (item.Kind == WorkKind.Resume)
            {
                context.EvaluateDeclaredInputsOnResume();
                Journal(instance, JournalEvents.Resumed);
                var activity = ResolveActivity(node, descriptor);
                var result = activity is IResumableActivity resumable
                    ? await resumable.ResumeAsync(context, item.Resume!)
                    : ActivityResult.Done;
                HandleResult(instance, node, descriptor, result);
                return;
            }

            if (await TryRunEngineActivityAsync(node, instance, context)) return;
            if (TryCompleteFiredTrigger(node, instance, context)) return;
            context.EvaluateDeclaredInputs();
            Journal(instance, JournalEvents.Started);
            var executed = await ResolveActivity(node, descriptor).ExecuteAsync(context);
            HandleResult(instance, node, descriptor, executed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fault(instance, node, e);
        }
    }

    private IActivity ResolveActivity(ActivityNode node, ActivityDescriptor? descriptor)
    {
        if (descriptor?.ActivityType is null)
            throw new InvalidOperationException($"Activity type '{node.Type}' v{node.Version} is not registered.");
        return (IActivity)Services.GetRequiredService(descriptor.ActivityType);
    }

    private void HandleResult(ActivityInstance instance, ActivityNode node, ActivityDescriptor? descriptor, ActivityResult result)
    {
        switch (result)
        {
            case ActivityResult.Completed completed when IsTerminal(node.Type):
                CompleteTerminal(instance, node, completed);
                break;
            case ActivityResult.Completed completed:
                CompleteActivity(instance, completed.Outcomes);
                break;
            case ActivityResult.Suspended suspended:
                foreach (var request in suspended.Bookmarks) AddBookmark(instance, node, request);
                instance.StateRebuiltOnResume = descriptor is not null && instance.ActivityState is { } state
                    && state.All(p => descriptor.Inputs.Any(i => string.Equals(i.Name, p.Key, StringComparison.OrdinalIgnoreCase)));
                Journal(instance, JournalEvents.Suspended);
                break;
        }
    }

    private void Fault(ActivityInstance instance, ActivityNode node, Exception e)
    {
        instance.Status = ActivityStatus.Faulted;
        var message = e.Message;
        Journal(instance, JournalEvents.Faulted, message, new JsonObject
        {
            ["exceptionType"] = e.GetType().FullName,
            ["message"] = message,
            // No stack trace: the journal is served by the API, and a trace names the host's internals.
            ["innerExceptionType"] = e.InnerException?.GetType().FullName,
        });
        Instance.Incidents.Add(new Incident(node.Id, node.NodeId, instance.Id, node.Type, e.GetType().FullName ?? e.GetType().Name, message, Now));
        // The message is not logged: it may carry inputs or variable values (personal data). The incident has it.
        _logger.LogWarning("Activity {ActivityId} of type {ActivityType} faulted with {ExceptionType}", node.Id, node.Type, e.GetType().FullName);
        if (IncidentStrategyOf() == IncidentStrategy.Fault) FaultInstance(message);
    }

    /// <summary>The workflow's own option (<c>options.incidentStrategyType</c> in the definition) wins over the app's.</summary>
    private IncidentStrategy IncidentStrategyOf()
    {
        var configured = (Definition.Json["options"] as JsonObject)?["incidentStrategyType"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (configured?.Contains("ContinueWithIncidents", StringComparison.OrdinalIgnoreCase) == true) return IncidentStrategy.ContinueWithIncidents;
        if (configured?.Contains("FaultStrategy", StringComparison.OrdinalIgnoreCase) == true) return IncidentStrategy.Fault;
        return _options.IncidentStrategy;
    }

    private void FaultInstance(string message)
    {
        if (Instance.Status == WorkflowStatus.Finished) return;
        Instance.Status = WorkflowStatus.Finished;
        Instance.SubStatus = WorkflowSubStatus.Faulted;
        Instance.Fault = message;
        Instance.FinishedAt = Now;
    }

    // ---------------------------------------------------------------- activity instances

    private ActivityInstance CreateInstance(ActivityNode node, string? parentId)
    {
        var instance = new ActivityInstance
        {
            Id = _ids.NewId(),
            NodeId = node.NodeId,
            ActivityId = node.Id,
            ActivityType = node.Type,
            ParentId = parentId,
            Status = ActivityStatus.Running,
            StartedAt = Now,
        };
        Track(instance);
        return instance;
    }

    private void Track(ActivityInstance instance)
    {
        _instances[instance.Id] = instance;
        _order.Add(instance);
        if (instance.ParentId is null) return;
        if (!_children.TryGetValue(instance.ParentId, out var siblings)) _children[instance.ParentId] = siblings = new List<ActivityInstance>();
        siblings.Add(instance);
    }

    private static bool IsUnfinished(ActivityInstance a) => a.Status is ActivityStatus.Pending or ActivityStatus.Running or ActivityStatus.Faulted;

    private ActivityInstance? ParentOf(ActivityInstance instance) =>
        instance.ParentId is not null && _instances.TryGetValue(instance.ParentId, out var p) ? p : null;

    /// <summary>The unfinished children of an instance (finished ones are pruned as they are met).</summary>
    private List<ActivityInstance> ChildrenOf(ActivityInstance instance)
    {
        if (!_children.TryGetValue(instance.Id, out var children)) return [];
        children.RemoveAll(a => !IsUnfinished(a));
        return children;
    }

    /// <summary>Completes an instance (journal, bookmarks, unfinished children) and tells its parent.</summary>
    private void CompleteActivity(ActivityInstance instance, IReadOnlyList<string> outcomes)
    {
        if (instance.Status is ActivityStatus.Completed or ActivityStatus.Canceled) return;
        foreach (var child in ChildrenOf(instance).Where(IsUnfinished).ToList()) CancelActivity(child, checkParent: false);
        instance.Status = ActivityStatus.Completed;
        RemoveBookmarksOf(instance);
        Journal(instance, JournalEvents.Completed);

        var parent = ParentOf(instance);
        if (parent is null || parent.Status != ActivityStatus.Running) return; // callbacks cleared
        var parentNode = Graph.Find(parent.NodeId)!;
        if (parentNode.Type == WellKnownTypes.Flowchart || parentNode.Activities.Count > 0)
            OnFlowchartChildCompleted(parent, parentNode, instance, outcomes);
        else
            CompleteActivity(parent, ["Done"]); // Workflow, FlowNode: done when the body is done
    }

    /// <summary>Cancels an instance and its subtree: withdraws queued work, removes bookmarks and tokens.</summary>
    private void CancelActivity(ActivityInstance instance, bool checkParent)
    {
        if (instance.Status is ActivityStatus.Completed or ActivityStatus.Canceled) return;
        WithdrawQueuedWork(instance);
        foreach (var child in ChildrenOf(instance).Where(IsUnfinished).ToList()) CancelActivity(child, checkParent: false);
        instance.Status = ActivityStatus.Canceled;
        RemoveBookmarksOf(instance);
        Journal(instance, JournalEvents.Canceled);
        var parent = ParentOf(instance);
        if (parent?.Tokens is { } tokens)
            tokens.RemoveAll(t => t.FromActivityId == instance.ActivityId || t.ToActivityId == instance.ActivityId);
        if (checkParent && parent is not null && parent.Status == ActivityStatus.Running && parent.Tokens is not null)
            CompleteIfNoPendingWork(parent, includeTokens: false);
    }

    private void WithdrawQueuedWork(ActivityInstance owner)
    {
        for (var n = _queue.First; n is not null;)
        {
            var next = n.Next;
            if (n.Value.ActivityInstanceId == owner.Id || IsOwnedBy(n.Value.ParentInstanceId, owner.Id)) _queue.Remove(n);
            n = next;
        }
    }

    /// <summary>True when <paramref name="instanceId"/> is <paramref name="ancestorId"/> or one of its descendants.</summary>
    private bool IsOwnedBy(string? instanceId, string ancestorId)
    {
        for (var id = instanceId; id is not null;)
        {
            if (id == ancestorId) return true;
            id = _instances.TryGetValue(id, out var a) ? a.ParentId : null;
        }
        return false;
    }

    private void Enqueue(WorkItem item) => _queue.AddLast(item);

    // ---------------------------------------------------------------- bookmarks

    private void AddBookmark(ActivityInstance instance, ActivityNode node, BookmarkRequest request)
    {
        // A requested id is used once per instance: a second request for it (a mistake) gets a fresh id rather than
        // overwriting the first bookmark.
        var id = request.Id is { Length: > 0 } requested && !_bookmarks.ContainsKey(requested) && !_removedBookmarkIds.Contains(requested)
            ? requested
            : _ids.NewId();
        var bookmark = new Bookmark
        {
            Id = id,
            InstanceId = Instance.Id,
            ActivityInstanceId = instance.Id,
            ActivityNodeId = node.NodeId,
            Kind = node.Type,
            Key = request.Key,
            CorrelationId = Instance.CorrelationId,
            DueAt = request.DueAt,
            CreatedAt = Now,
            Payload = request.Payload,
        };
        _bookmarks[bookmark.Id] = bookmark;
        _addedBookmarks.Add(bookmark);
    }

    private void RemoveBookmarksOf(ActivityInstance instance)
    {
        foreach (var b in _bookmarks.Values.Where(b => b.ActivityInstanceId == instance.Id).ToList())
            RemoveBookmark(b.Id, discarded: true);
    }

    private void RemoveBookmark(string id, bool discarded)
    {
        if (!_bookmarks.Remove(id, out var bookmark)) return;
        if (bookmark.DueAt is not null) _removedTimerIds.Add(id);
        _removedBookmarkIds.Add(id);
        if (discarded) _discardedBookmarks.Add(bookmark);
    }

    // ---------------------------------------------------------------- variables

    public IReadOnlyList<VariableDefinition> VisibleVariables(ActivityNode node)
    {
        var declared = Graph.VisibleFrom(node);
        var dynamic = Instance.Variables.Keys.Where(k => !Graph.IsDeclared(k)).ToList();
        if (dynamic.Count == 0) return declared;
        return declared.Concat(dynamic.Select(k => new VariableDefinition(k, k, "Object", false, null, null))).ToList();
    }

    public JsonNode? GetVariableValue(VariableDefinition variable) =>
        Instance.Variables.TryGetValue(variable.Id, out var v) ? v : null;

    public void SetVariableValue(VariableDefinition variable, object? value)
    {
        var type = VariableTypes.Resolve(variable) ?? typeof(object);
        var converted = type == typeof(object) ? value : ValueConverter.Convert(value, type);
        Instance.Variables[variable.Id] = ValueConverter.ToJson(converted);
    }

    public VariableDefinition DeclareDynamicVariable(string name)
    {
        Instance.Variables.TryAdd(name, null);
        return new VariableDefinition(name, name, "Object", false, null, null);
    }

    /// <summary>Declares a container's variables with their initial values (§5); unconvertible values stay unset.</summary>
    private void DeclareVariables(ActivityNode container)
    {
        foreach (var v in Graph.DeclaredBy(container))
        {
            var type = VariableTypes.Resolve(v)!;
            Instance.Variables[v.Id] = ValueConverter.TryConvert(v.Value, type, out var value) ? ValueConverter.ToJson(value) : null;
        }
    }

    // ---------------------------------------------------------------- journal

    public void AddActivityMessage(ActivityInstance instance, string message) => _pendingMessages[instance.Id] = message;

    private void Journal(ActivityInstance instance, string eventName, string? message = null, JsonObject? payload = null)
    {
        var node = Graph.Find(instance.NodeId);
        if (message is null && eventName == JournalEvents.Completed) _pendingMessages.Remove(instance.Id, out message);
        var state = instance.ActivityState?.DeepClone().AsObject();
        bool asBefore;
        if (instance.JournaledStateHash is { } hash)
        {
            // The stored document left the state out: unless a resume rebuilt it, it is still the latest row's.
            asBefore = state is null || StateHash.Of(state) == hash;
            if (state is not null) instance.JournaledStateHash = null;
        }
        else
        {
            asBefore = state is not null && instance.LastJournaledState is { } last && JsonNode.DeepEquals(last, state);
        }
        // The record's own copy: records are never changed after they are made.
        instance.LastJournaledState = state;
        _journal.Add(new JournalRecord(
            Instance.Id,
            Instance.NextJournalSequence++,
            Now,
            instance.Id,
            instance.ParentId,
            instance.ActivityId,
            instance.ActivityType,
            node?.Version ?? 1,
            node?.Name,
            instance.NodeId,
            eventName,
            message,
            state,
            payload) { StateAsJournaledBefore = asBefore });
    }
}
