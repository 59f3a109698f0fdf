using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <param name="DefinitionVersionId">The version the caller already resolved from <paramref name="Versions"/> (and checked):
/// started as is, read by id (cached), without resolving the selector a second time.</param>
public sealed record StartWorkflowRequest(
    string DefinitionId,
    VersionOptions? Versions = null,
    string? CorrelationId = null,
    JsonObject? Input = null,
    string? InstanceId = null,
    WorkflowTriggerStart? Trigger = null,
    IReadOnlyList<object>? Effects = null,
    string? DefinitionVersionId = null);

/// <summary>
/// Starts the instance at a trigger activity of the root flowchart (a Timer, Cron, StartAt or Event with
/// canStartWorkflow) instead of the flowchart's usual start: the trigger has fired, so that activity
/// completes at once (Done) and the flow continues from its outgoing connections.
/// </summary>
/// <param name="ActivityId">The trigger activity's id.</param>
/// <param name="Payload">What fired it (an event's payload); the activity's <c>Result</c> output when it has one.</param>
public sealed record WorkflowTriggerStart(string ActivityId, JsonNode? Payload = null);

/// <param name="ReadBefore">The instance and its bookmarks as the caller read them through this bookmark, in the round
/// trip of its own read (<see cref="Persistence.EntityFramework.ResumeRead"/>); the first attempt runs on it instead of
/// reading again. Exactly-once does not rest on it: the commit checks the instance's version, and a conflict reads afresh.
/// It must come from a read in the caller's tenant, as the store's own read would be.</param>
public sealed record ResumeBookmarkRequest(
    string BookmarkId,
    JsonNode? Input = null,
    IReadOnlyList<object>? Effects = null,
    InstanceWithBookmarks? ReadBefore = null);

public sealed record WorkflowRunResult(
    string InstanceId,
    WorkflowStatus Status,
    WorkflowSubStatus SubStatus,
    IReadOnlyList<Bookmark> Bookmarks,
    IReadOnlyList<Incident> Incidents);

/// <summary>
/// The runtime's entry points. Each call runs one burst and commits it in one transaction; concurrent
/// resumes of the same instance are serialised by optimistic concurrency, never run a step twice.
/// </summary>
public interface IWorkflowRuntime
{
    Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct);

    /// <summary>Resumes one bookmark; null when the bookmark no longer exists (already resumed or cancelled).</summary>
    Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct);

    /// <summary>Resumes every Elsa.Event bookmark with this name (and correlation id, when given).</summary>
    Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct);

    Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct);

    /// <summary>Re-runs the faulted activities of a faulted instance.</summary>
    Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct);
}
