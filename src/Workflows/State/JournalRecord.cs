using System.Text.Json.Nodes;

namespace Exit.Workflows.State;

/// <summary>One entry of the execution journal (Elsa's WorkflowExecutionLogRecord).</summary>
public sealed record JournalRecord(
    string InstanceId,
    long Sequence,
    DateTimeOffset Timestamp,
    string ActivityInstanceId,
    string? ParentActivityInstanceId,
    string ActivityId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    string NodeId,
    string EventName,
    string? Message,
    JsonObject? ActivityState,
    JsonObject? Payload);

public static class JournalEvents
{
    public const string Started = "Started";
    public const string Resumed = "Resumed";
    public const string Suspended = "Suspended";
    public const string Completed = "Completed";
    public const string Canceled = "Canceled";
    public const string Faulted = "Faulted";
}
