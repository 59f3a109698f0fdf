using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.HumanTasks;

/// <summary>
/// Commands on tasks, without HTTP. Completion checks the task and the outcome, then resumes the instance with a
/// <see cref="TaskCompleted"/> effect, so the task row and the instance advance in one commit; a task completes once.
/// </summary>
public sealed class HumanTaskService(
    TaskDbContextFactory contexts,
    IWorkflowRuntime runtime,
    ITaskBookmarkLocator bookmarks,
    TimeProvider clock)
{
    /// <summary>Attempts when the runtime reports a conflict on the instance while the task is still open.</summary>
    private const int MaxAttempts = 3;

    public const int MaxAssigneeLength = 256;

    /// <exception cref="TaskNotFoundException">No such task.</exception>
    /// <exception cref="TaskConflictException">The task is not open, or another completion won.</exception>
    /// <exception cref="TaskValidationException">The outcome is not one of the task's outcomes.</exception>
    public async Task<WorkflowRunResult> CompleteAsync(string taskId, string outcome, JsonNode? data, string? completedBy, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var task = await LoadOpenAsync(taskId, ct);
            var allowed = TaskQueries.AllowedOutcomes(task.AllowedOutcomesJson);
            if (string.IsNullOrWhiteSpace(outcome))
                throw new TaskValidationException([new("outcome", $"An outcome is required; one of: {string.Join(", ", allowed)}.")]);
            if (!allowed.Contains(outcome, StringComparer.Ordinal))
                throw new TaskValidationException([new("outcome", $"'{outcome}' is not an outcome of this task; use one of: {string.Join(", ", allowed)}.")]);

            var bookmarkId = task.BookmarkId ?? await bookmarks.FindBookmarkIdAsync(task.InstanceId, task.BookmarkKey, ct);
            if (bookmarkId is null)
                throw new TaskConflictException(taskId, $"Task {taskId} can no longer be completed: its workflow is not waiting for it.");

            var effect = new TaskCompleted(taskId, outcome, data?.DeepClone(), completedBy, clock.GetUtcNow());
            try
            {
                var result = await runtime.ResumeAsync(
                    new ResumeBookmarkRequest(bookmarkId, HumanTask.CompletionInput(outcome, data), [effect]), ct);
                return result ?? throw new TaskConflictException(taskId, $"Task {taskId} was already completed or cancelled.");
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another burst of the same instance committed first; LoadOpenAsync decides whether it was this task.
            }
            catch (ConcurrencyConflictException e)
            {
                throw new TaskConflictException(taskId, $"Task {taskId} could not be completed: {e.Message}");
            }
        }
    }

    /// <summary>Gives an open task to <paramref name="assignee"/> and records the change in the assignment history.</summary>
    public async Task ReassignAsync(string taskId, string assignee, string? by, CancellationToken ct)
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(assignee)) problems.Add(new("assignee", "An assignee is required."));
        else if (assignee.Trim().Length > MaxAssigneeLength) problems.Add(new("assignee", $"At most {MaxAssigneeLength} characters."));
        if (problems.Count > 0) throw new TaskValidationException(problems);
        assignee = assignee.Trim();

        await using var db = contexts.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var task = await db.Tasks.AsTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct)
                   ?? throw new TaskNotFoundException(taskId);
        if (task.Status != HumanTaskStatus.Open)
            throw new TaskConflictException(taskId, $"Task {taskId} is {task.Status.ToString().ToLowerInvariant()}; only open tasks can be reassigned.");
        if (task.Assignee == assignee) return;

        db.Assignments.Add(new TaskAssignment
        {
            TaskId = taskId, FromAssignee = task.Assignee, ToAssignee = assignee, At = clock.GetUtcNow(), By = by,
        });
        task.Assignee = assignee;
        task.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new TaskConflictException(taskId, $"Task {taskId} was changed by someone else; reload and try again.");
        }
    }

    private async Task<TaskRecord> LoadOpenAsync(string taskId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct)
                   ?? throw new TaskNotFoundException(taskId);
        return task.Status == HumanTaskStatus.Open
            ? task
            : throw new TaskConflictException(taskId, $"Task {taskId} is already {task.Status.ToString().ToLowerInvariant()}.");
    }
}
