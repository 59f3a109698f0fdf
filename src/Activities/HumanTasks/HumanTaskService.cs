using System.Text.Json.Nodes;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
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
    /// <exception cref="TaskConflictException">The task is not open, another completion won, or its workflow is faulted
    /// (the task stays open; retry the workflow, then complete it).</exception>
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

            var effect = new TaskCompleted(taskId, outcome, data?.DeepClone(), completedBy, clock.GetUtcNow());
            try
            {
                var (bookmarkId, result) = await ResumeAsync(task, outcome, data, effect, ct);
                if (result is null)
                    throw new TaskConflictException(taskId, bookmarkId is null
                        ? $"Task {taskId} can no longer be completed: its workflow is not waiting for it."
                        : $"Task {taskId} was already completed or cancelled.");
                // The runtime resumes nothing on a faulted instance and answers with its state; the bookmark still being
                // there is how we know. The task stays open and the worker is told why, instead of a success that did nothing.
                if (result.Bookmarks.Any(b => b.Id == bookmarkId))
                    throw new TaskConflictException(taskId, result.SubStatus == WorkflowSubStatus.Faulted
                        ? $"Task {taskId} cannot be completed now: its workflow has faulted. The task stays open; complete it again once the workflow has been retried."
                        : $"Task {taskId} cannot be completed now: its workflow is {result.Status.ToString().ToLowerInvariant()}.");
                Exit.Workflows.Diagnostics.WorkflowTelemetry.TaskCompleted();
                return result;
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

    /// <summary>
    /// Resumes the task's bookmark. A task made by <see cref="HumanTask"/> names its bookmark after itself, so the id is
    /// known without a read; a task whose bookmark the runtime named (older tasks, other activities) is looked up by key
    /// when the first try finds nothing. Returns the bookmark id tried last (null when there was none) and the result.
    /// </summary>
    private async Task<(string? BookmarkId, WorkflowRunResult? Result)> ResumeAsync(
        TaskForCompletion task, string outcome, JsonNode? data, TaskCompleted effect, CancellationToken ct)
    {
        var tried = task.BookmarkId ?? task.Id;
        var result = await runtime.ResumeAsync(new ResumeBookmarkRequest(tried, HumanTask.CompletionInput(outcome, data), [effect]), ct);
        if (result is not null || task.BookmarkId is not null) return (tried, result);
        var found = await bookmarks.FindBookmarkIdAsync(task.InstanceId, task.BookmarkKey, ct);
        if (found is null || found == tried) return (found, null);
        return (found, await runtime.ResumeAsync(new ResumeBookmarkRequest(found, HumanTask.CompletionInput(outcome, data), [effect]), ct));
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

    private async Task<TaskForCompletion> LoadOpenAsync(string taskId, CancellationToken ct)
    {
        var task = await TaskCompletionReader.FindAsync(contexts, taskId, ct) ?? throw new TaskNotFoundException(taskId);
        return task.Status == HumanTaskStatus.Open
            ? task
            : throw new TaskConflictException(taskId, $"Task {taskId} is already {task.Status.ToString().ToLowerInvariant()}.");
    }
}
