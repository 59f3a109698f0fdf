using System.Text.Json.Nodes;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Effect staged by <see cref="HumanTask"/> when it suspends: "create this task record". The
/// <see cref="TaskCommitParticipant"/> inserts the row in the same transaction as the instance state.
/// </summary>
public sealed record TaskCreated(
    string TaskId,
    string Title,
    string? Instructions,
    string? Kind,
    string? Assignee,
    string? Role,
    string? CorrelationId,
    string InstanceId,
    string ActivityInstanceId,
    string ActivityId,
    string BookmarkKey,
    DateTimeOffset? DueAt,
    IReadOnlyList<string> AllowedOutcomes,
    JsonNode? FormSchema,
    DateTimeOffset CreatedAt);

/// <summary>
/// Effect passed with the resume that completes a task. Applied only if the task is still open; otherwise the
/// participant throws <see cref="Exit.Workflows.Persistence.ConcurrencyConflictException"/> and the whole resume is rolled back.
/// </summary>
public sealed record TaskCompleted(
    string TaskId,
    string Outcome,
    JsonNode? Data,
    string? CompletedBy,
    DateTimeOffset CompletedAt);
