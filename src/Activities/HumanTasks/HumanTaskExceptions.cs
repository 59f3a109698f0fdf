namespace Exit.Activities.HumanTasks;

/// <summary>One problem with a request: the field it concerns (camelCase, as the client sent it) and why.</summary>
public sealed record ValidationProblem(string Field, string Message);

public sealed class TaskNotFoundException(string taskId) : Exception($"Task {taskId} does not exist.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>The task is not open any more (completed, cancelled, or someone else got there first).</summary>
public sealed class TaskConflictException(string taskId, string message) : Exception(message)
{
    public string TaskId { get; } = taskId;
}

public sealed class TaskValidationException(IReadOnlyList<ValidationProblem> problems)
    : Exception("The request is invalid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
