using System.Text.Json.Nodes;

namespace Exit.Workflows.State;

/// <summary>
/// A point where an instance waits. <see cref="Kind"/> is the activity type that created it (Elsa.Delay,
/// Elsa.Event, Exit.HumanTask…); <see cref="Key"/> is what a stimulus matches on (an event name, a task id);
/// <see cref="DueAt"/> is set for timers.
/// </summary>
public sealed class Bookmark
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string ActivityInstanceId { get; init; }
    public required string ActivityNodeId { get; init; }
    public required string Kind { get; init; }
    public string? Key { get; init; }
    public string? CorrelationId { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public JsonObject? Payload { get; init; }

    /// <summary>The tenant of the instance holding it, as read from the store (null on a bookmark not yet stored).</summary>
    public string? TenantId { get; init; }
}
