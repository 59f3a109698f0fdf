using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.State;

namespace Exit.Host.Features.Elsa.ActivityExecutions;

/// <summary>Elsa's ActivityExecutionRecord (CONTRACT §5.5), one per activity instance, derived from the journal.</summary>
public sealed record ActivityExecutionRecordDto(
    string Id, string WorkflowInstanceId, string ActivityId, string ActivityNodeId, string ActivityType, int ActivityTypeVersion,
    string? ActivityName, JsonObject ActivityState, JsonObject Payload, JsonObject Outputs, JsonObject Properties, JsonObject Metadata,
    JsonObject? Exception, DateTimeOffset StartedAt, bool HasBookmarks, string Status, int AggregateFaultCount, DateTimeOffset? CompletedAt,
    string? SchedulingActivityExecutionId, string? SchedulingActivityId, string? SchedulingWorkflowInstanceId, int CallStackDepth);

/// <summary>The list variant Studio's instance viewer polls.</summary>
public sealed record ActivityExecutionSummaryDto(
    string Id, string WorkflowInstanceId, string ActivityId, string ActivityNodeId, string ActivityType, int ActivityTypeVersion,
    string? ActivityName, DateTimeOffset StartedAt, bool HasBookmarks, string Status, JsonObject Metadata, int AggregateFaultCount,
    DateTimeOffset? CompletedAt);

/// <summary>
/// Folds an instance's journal into activity execution records: one per activity instance, started at its first
/// event, finished by its last Completed/Faulted/Canceled event; <c>hasBookmarks</c> when a bookmark of that
/// activity instance is still open. The record id is <c>{instanceId}.{activityInstanceId}</c>, so
/// <c>by-id</c> can find the instance again without a separate index. '.' because it is URL-safe and in no id's
/// alphabet (compact ids use '~', '_' and alphanumerics; older ids are hex).
/// </summary>
public static class JournalProjection
{
    public const char IdSeparator = '.';

    public static string RecordId(string instanceId, string activityInstanceId) => $"{instanceId}{IdSeparator}{activityInstanceId}";

    public static (string InstanceId, string ActivityInstanceId)? ParseRecordId(string id)
    {
        var cut = id.IndexOf(IdSeparator);
        return cut <= 0 || cut == id.Length - 1 ? null : (id[..cut], id[(cut + 1)..]);
    }

    public static IReadOnlyList<ActivityExecutionRecordDto> Records(
        WorkflowInstance instance, IReadOnlyList<JournalRecord> journal, IReadOnlyList<Bookmark> bookmarks)
    {
        var open = bookmarks.Select(b => b.ActivityInstanceId).ToHashSet(StringComparer.Ordinal);
        return journal
            .OrderBy(r => r.Sequence)
            .GroupBy(r => r.ActivityInstanceId)
            .Select(g => ToRecord(instance, g.ToList(), open.Contains(g.Key)))
            .OrderBy(r => r.StartedAt)
            .ToList();
    }

    public static ActivityExecutionSummaryDto Summary(ActivityExecutionRecordDto r) => new(
        r.Id, r.WorkflowInstanceId, r.ActivityId, r.ActivityNodeId, r.ActivityType, r.ActivityTypeVersion, r.ActivityName,
        r.StartedAt, r.HasBookmarks, r.Status, r.Metadata.DeepClone().AsObject(), r.AggregateFaultCount, r.CompletedAt);

    private static ActivityExecutionRecordDto ToRecord(WorkflowInstance instance, List<JournalRecord> events, bool hasBookmarks)
    {
        var first = events[0];
        var end = events.LastOrDefault(e => e.EventName is JournalEvents.Completed or JournalEvents.Faulted or JournalEvents.Canceled);
        var status = end?.EventName switch
        {
            JournalEvents.Completed => "Completed",
            JournalEvents.Faulted => "Faulted",
            JournalEvents.Canceled => "Canceled",
            _ => "Running",
        };
        var faults = events.Count(e => e.EventName == JournalEvents.Faulted);
        JsonObject? exception = null;
        if (status == "Faulted")
        {
            var incident = instance.Incidents.LastOrDefault(i => i.ActivityInstanceId == first.ActivityInstanceId);
            exception = new JsonObject
            {
                ["type"] = incident?.ExceptionType ?? "Exception",
                ["message"] = incident?.Message ?? end?.Message ?? "The activity faulted.",
            };
        }
        var state = events.LastOrDefault(e => e.ActivityState is not null)?.ActivityState;
        var payload = events.LastOrDefault(e => e.Payload is not null)?.Payload;
        var outputs = end?.Payload?["outputs"] as JsonObject;
        var started = events.FirstOrDefault(e => e.EventName == JournalEvents.Started) ?? first;
        return new ActivityExecutionRecordDto(
            RecordId(instance.Id, first.ActivityInstanceId), instance.Id, first.ActivityId, first.NodeId, first.ActivityType,
            first.ActivityTypeVersion, first.ActivityName, Copy(state), Copy(payload), Copy(outputs), new JsonObject(), new JsonObject(),
            exception, started.Timestamp, hasBookmarks, status, faults, end?.Timestamp,
            null, null, null, 0);
    }

    /// <summary>Activity state, payload and outputs go through the instance API's one redaction.</summary>
    private static JsonObject Copy(JsonObject? source) => ElsaRedaction.Object(source);
}
