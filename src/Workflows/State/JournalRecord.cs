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
    JsonObject? Payload)
{
    /// <summary>
    /// Set by the engine (never by a read): <see cref="ActivityState"/> equals the state of this activity instance's previous
    /// journal row, which may be in an earlier commit (a Resumed row after the Suspended row of the burst that suspended it).
    /// The store may then keep a "same as before" marker instead of the state; its read puts the state back from that row.
    /// Only whole instances are ever deleted from the journal, so the earlier row is there whenever this one is.
    /// </summary>
    public bool StateAsJournaledBefore { get; init; }
}

public static class JournalEvents
{
    public const string Started = "Started";
    public const string Resumed = "Resumed";
    public const string Suspended = "Suspended";
    public const string Completed = "Completed";
    public const string Canceled = "Canceled";
    public const string Faulted = "Faulted";
}
