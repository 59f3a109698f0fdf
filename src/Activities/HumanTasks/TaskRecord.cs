using System.Text.Json.Serialization;
using Exit.Workflows.Tenancy;

namespace Exit.Activities.HumanTasks;

/// <summary>Lifecycle of a task: open until completed (once) or cancelled with its workflow branch.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HumanTaskStatus>))]
public enum HumanTaskStatus { Open, Completed, Cancelled }

/// <summary>A task row. JSON payloads are stored as text so both providers read them the same way.</summary>
public sealed class TaskRecord : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public required string Id { get; set; }
    public required string Title { get; set; }
    public string? Instructions { get; set; }
    public string? Kind { get; set; }
    public string? Assignee { get; set; }
    public string? Role { get; set; }
    public string? CorrelationId { get; set; }

    public required string InstanceId { get; set; }
    public required string ActivityInstanceId { get; set; }
    public required string ActivityId { get; set; }

    /// <summary>Key of the bookmark the activity waits on (the task id).</summary>
    public required string BookmarkKey { get; set; }

    /// <summary>
    /// Id of that bookmark when it differs from the task id and is known; null otherwise. <see cref="HumanTask"/> names
    /// its bookmark after the task (so completing it needs no lookup) and leaves this null; for other tasks the id is
    /// looked up by <see cref="BookmarkKey"/>.
    /// </summary>
    public string? BookmarkId { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>
    /// Sort and range key: <see cref="DueAt"/> as UTC ticks, or <see cref="NoDueDate"/> when there is none, so one
    /// index serves "ordered by due date, undated last" and "due before now" on every provider.
    /// </summary>
    public long DueOrder { get; set; }

    public const long NoDueDate = long.MaxValue;

    public static long DueOrderOf(DateTimeOffset? dueAt) => dueAt?.UtcTicks ?? NoDueDate;
    public HumanTaskStatus Status { get; set; }
    public required string AllowedOutcomesJson { get; set; }
    public string? FormSchemaJson { get; set; }

    public string? Outcome { get; set; }
    public string? DataJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Optimistic concurrency token, incremented by every write.</summary>
    public long Version { get; set; }

    public List<TaskAssignment> Assignments { get; set; } = [];
}

/// <summary>One reassignment: who had it, who has it now, when and by whom.</summary>
public sealed class TaskAssignment : ITenantOwned
{
    /// <summary>The municipality the row belongs to (stamped on insert; every query is filtered by it).</summary>
    public string TenantId { get; set; } = "";
    public long Id { get; set; }
    public required string TaskId { get; set; }
    public string? FromAssignee { get; set; }
    public string? ToAssignee { get; set; }
    public DateTimeOffset At { get; set; }
    public string? By { get; set; }
}
