namespace Exit.Workflows.State;

/// <summary>An activity that threw: kept on the instance so an operator can see why it faulted and retry.</summary>
public sealed record Incident(
    string ActivityId,
    string ActivityNodeId,
    string ActivityInstanceId,
    string ActivityType,
    string ExceptionType,
    string Message,
    DateTimeOffset Timestamp);
