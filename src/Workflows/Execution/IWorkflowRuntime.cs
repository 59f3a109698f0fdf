using System.Text.Json.Nodes;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

public sealed record StartWorkflowRequest(
    string DefinitionId,
    VersionOptions? Versions = null,
    string? CorrelationId = null,
    JsonObject? Input = null,
    string? InstanceId = null);

public sealed record ResumeBookmarkRequest(
    string BookmarkId,
    JsonNode? Input = null,
    IReadOnlyList<object>? Effects = null);

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
