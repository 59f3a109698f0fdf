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
    public Task<WorkflowRunResult> CompleteAsync(string taskId, string outcome, JsonNode? data, string? completedBy, CancellationToken ct) =>
        CompleteAsync(taskId, outcome, data, completedBy, readBefore: null, alsoCommit: [], ct);

    /// <summary>
    /// Completes the task as above. <paramref name="readBefore"/>: the row as the caller already read it
    /// (<see cref="FindForCompletionAsync"/>, e.g. for an access check), used for the first attempt instead of a second
    /// read; exactly-once does not rest on it (the commit completes the task only while it is open).
    /// <paramref name="alsoCommit"/>: further effects written in the same transaction as the completion (the Host's
    /// audit entry), so they are stored if and only if the task completes.
    /// </summary>
    public async Task<WorkflowRunResult> CompleteAsync(string taskId, string outcome, JsonNode? data, string? completedBy,
        TaskForCompletion? readBefore, IReadOnlyList<object> alsoCommit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alsoCommit);
        for (var attempt = 1; ; attempt++)
        {
            var task = attempt == 1 && readBefore is not null && readBefore.Id == taskId ? Open(readBefore) : await LoadOpenAsync(taskId, ct);
            var allowed = TaskQueries.AllowedOutcomes(task.AllowedOutcomesJson);
            if (string.IsNullOrWhiteSpace(outcome))
                throw new TaskValidationException([new("outcome", $"An outcome is required; one of: {string.Join(", ", allowed)}.")]);
            if (!allowed.Contains(outcome, StringComparer.Ordinal))
                throw new TaskValidationException([new("outcome", $"'{outcome}' is not an outcome of this task; use one of: {string.Join(", ", allowed)}.")]);

            var effect = new TaskCompleted(taskId, outcome, data?.DeepClone(), completedBy, clock.GetUtcNow());
            IReadOnlyList<object> effects = alsoCommit.Count == 0 ? [effect] : [effect, .. alsoCommit];
            try
            {
                var (bookmarkId, result) = await ResumeAsync(task, outcome, data, effects, ct);
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
        TaskForCompletion task, string outcome, JsonNode? data, IReadOnlyList<object> effects, CancellationToken ct)
    {
        var tried = task.BookmarkId ?? task.Id;
        // The instance and bookmarks read with the task (through this same bookmark id), when the reader could.
        var result = await runtime.ResumeAsync(new ResumeBookmarkRequest(tried, HumanTask.CompletionInput(outcome, data), effects, task.Resume), ct);
        if (result is not null || task.BookmarkId is not null) return (tried, result);
        var found = await bookmarks.FindBookmarkIdAsync(task.InstanceId, task.BookmarkKey, ct);
        if (found is null || found == tried) return (found, null);
        return (found, await runtime.ResumeAsync(new ResumeBookmarkRequest(found, HumanTask.CompletionInput(outcome, data), effects), ct));
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

    /// <summary>
    /// Takes an unassigned task from its role's team queue for <paramref name="user"/>. Exactly one claim wins: the
    /// change is one conditional UPDATE (open, still unassigned), so a concurrent second claim changes no row and
    /// gets <see cref="TaskConflictException"/> on SQLite and PostgreSQL alike. The claim is kept in the assignment history.
    /// </summary>
    public async Task ClaimAsync(string taskId, string user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(user)) throw new TaskValidationException([new("user", "A signed-in user is required.")]);
        await using var db = contexts.Create();
        // Read outside the transaction: the UPDATE must be the transaction's first statement, so SQLite takes the
        // write lock (and waits for a concurrent claim) instead of failing to upgrade a read snapshot.
        var task = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.Status, t.Assignee, t.Role }).FirstOrDefaultAsync(ct)
                   ?? throw new TaskNotFoundException(taskId);
        if (task.Status != HumanTaskStatus.Open)
            throw new TaskConflictException(taskId, $"Task {taskId} is {task.Status.ToString().ToLowerInvariant()}; only open tasks can be claimed.");
        if (task.Role is null)
            throw new TaskConflictException(taskId, $"Task {taskId} has no role and is not in a team queue.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Tasks
            .Where(t => t.Id == taskId && t.Status == HumanTaskStatus.Open && t.Assignee == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Assignee, user).SetProperty(t => t.Version, t => t.Version + 1), ct);
        if (changed == 0)
            throw new TaskConflictException(taskId, $"Task {taskId} has already been taken by someone else.");
        db.Assignments.Add(new TaskAssignment { TaskId = taskId, FromAssignee = null, ToAssignee = user, At = clock.GetUtcNow(), By = user });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Puts a task <paramref name="user"/> claimed back in its role's team queue. Only a task taken from the queue
    /// (its last assignment is the user's claim) can be released: a task the workflow gave to a person by name stays theirs.
    /// </summary>
    public async Task ReleaseAsync(string taskId, string user, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var task = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.Status, t.Assignee, t.Role }).FirstOrDefaultAsync(ct)
                   ?? throw new TaskNotFoundException(taskId);
        if (task.Status != HumanTaskStatus.Open)
            throw new TaskConflictException(taskId, $"Task {taskId} is {task.Status.ToString().ToLowerInvariant()}; only open tasks can be released.");
        var last = await db.Assignments.AsNoTracking().Where(a => a.TaskId == taskId).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (task.Role is null || !string.Equals(task.Assignee, user, StringComparison.OrdinalIgnoreCase)
            || last is null || last.FromAssignee is not null || !string.Equals(last.ToAssignee, user, StringComparison.OrdinalIgnoreCase))
            throw new TaskConflictException(taskId, $"Task {taskId} was not taken from the team queue by you; only a claimed task can be released.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var assignee = task.Assignee;
        var changed = await db.Tasks
            .Where(t => t.Id == taskId && t.Status == HumanTaskStatus.Open && t.Assignee == assignee)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Assignee, (string?)null).SetProperty(t => t.Version, t => t.Version + 1), ct);
        if (changed == 0)
            throw new TaskConflictException(taskId, $"Task {taskId} was changed meanwhile; reload and try again.");
        db.Assignments.Add(new TaskAssignment { TaskId = taskId, FromAssignee = assignee, ToAssignee = null, At = clock.GetUtcNow(), By = user });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Open, unassigned tasks of any of <paramref name="roles"/>: the team queue, by due date (kinds in <paramref name="exceptKinds"/> left out).</summary>
    public async Task<IReadOnlyList<TaskSummary>> QueueAsync(IReadOnlyCollection<string> roles, CancellationToken ct, IReadOnlyCollection<string>? exceptKinds = null)
    {
        if (roles.Count == 0) return [];
        var list = roles.ToList();
        var except = exceptKinds?.ToList() ?? [];
        var now = TaskRecord.DueOrderOf(clock.GetUtcNow());
        await using var db = contexts.Create();
        return await db.Tasks.AsNoTracking()
            .Where(t => t.Status == HumanTaskStatus.Open && t.Assignee == null && t.Role != null && list.Contains(t.Role)
                        && (t.Kind == null || !except.Contains(t.Kind)))
            .OrderBy(t => t.DueOrder).ThenBy(t => t.Id)
            .Take(TaskFilter.MaxPageSize)
            .Select(t => new TaskSummary(t.Id, t.Title, t.Kind, t.Assignee, t.Role, t.CorrelationId, t.InstanceId, t.DueAt, t.Status,
                t.DueOrder < now, t.CreatedAt, t.CompletedAt))
            .ToListAsync(ct);
    }

    /// <summary>Open tasks <paramref name="user"/> has taken from the team queue and may release.</summary>
    public async Task<IReadOnlyList<TaskSummary>> ClaimedByAsync(string user, CancellationToken ct)
    {
        var now = TaskRecord.DueOrderOf(clock.GetUtcNow());
        await using var db = contexts.Create();
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == HumanTaskStatus.Open && t.Assignee == user && t.Role != null)
            .OrderBy(t => t.DueOrder).ThenBy(t => t.Id).Take(TaskFilter.MaxPageSize)
            .Select(t => new TaskSummary(t.Id, t.Title, t.Kind, t.Assignee, t.Role, t.CorrelationId, t.InstanceId, t.DueAt, t.Status,
                t.DueOrder < now, t.CreatedAt, t.CompletedAt))
            .ToListAsync(ct);
        var ids = open.Select(t => t.Id).ToList();
        var lastById = (await db.Assignments.AsNoTracking().Where(a => ids.Contains(a.TaskId)).ToListAsync(ct))
            .GroupBy(a => a.TaskId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Id)!);
        return open.Where(t => lastById.TryGetValue(t.Id, out var a) && a.FromAssignee is null && a.ToAssignee == user).ToList();
    }

    /// <summary>The task as a completion (and an access check before it) needs it; null when there is no such task.</summary>
    public Task<TaskForCompletion?> FindForCompletionAsync(string taskId, CancellationToken ct) =>
        TaskCompletionReader.FindAsync(contexts, taskId, ct);

    private async Task<TaskForCompletion> LoadOpenAsync(string taskId, CancellationToken ct) =>
        Open(await TaskCompletionReader.FindAsync(contexts, taskId, ct) ?? throw new TaskNotFoundException(taskId));

    private static TaskForCompletion Open(TaskForCompletion task) => task.Status == HumanTaskStatus.Open
        ? task
        : throw new TaskConflictException(task.Id, $"Task {task.Id} is already {task.Status.ToString().ToLowerInvariant()}.");
}
