using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Triggers;

/// <summary>
/// The runtime, plus Elsa's event triggers: publishing an event resumes the matching Event bookmarks (the
/// runtime's part) and also starts a new instance of every published workflow with an Event trigger of that
/// name (<c>canStartWorkflow: true</c>), with the event's correlation id and the payload as the trigger's Result.
/// </summary>
public sealed class EventTriggeringWorkflowRuntime(
    IWorkflowRuntime inner,
    EventTriggerIndex index,
    ILogger<EventTriggeringWorkflowRuntime> logger) : IWorkflowRuntime
{
    public Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct) => inner.StartAsync(request, ct);

    public Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct) => inner.ResumeAsync(request, ct);

    public async Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct)
    {
        // Bookmarks first: an instance started here may itself wait for the same event, and must not be resumed by it.
        var results = (await inner.PublishEventAsync(eventName, correlationId, payload, ct).ConfigureAwait(false)).ToList();
        foreach (var trigger in await index.FindAsync(eventName, ct).ConfigureAwait(false))
        {
            var started = await inner.StartAsync(
                new StartWorkflowRequest(
                    trigger.DefinitionId,
                    Persistence.VersionOptions.Published,
                    correlationId,
                    Trigger: new WorkflowTriggerStart(trigger.ActivityId, payload?.DeepClone())),
                ct).ConfigureAwait(false);
            logger.LogInformation(
                "Event trigger {ActivityId} of definition {DefinitionId} started instance {InstanceId}",
                trigger.ActivityId, trigger.DefinitionId, started.InstanceId);
            results.Add(started);
        }
        return results;
    }

    public Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct) => inner.CancelAsync(instanceId, ct);

    public Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct) => inner.RetryAsync(instanceId, ct);
}
