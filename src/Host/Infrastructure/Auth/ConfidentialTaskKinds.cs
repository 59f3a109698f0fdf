using System.Security.Claims;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// A task kind whose submitted answers are confidential, and the answer fields that are not: the facts a manager
/// or a new worker needs to know the step happened and when (e.g. <c>heldOn</c>), never what was written.
/// </summary>
public sealed record ConfidentialTaskKind(string Kind, params string[] SharedFields);

/// <summary>
/// The one rule for confidential task data (registered by the feature that raises the kinds). A note is read by the
/// person who wrote it (the task's <c>CompletedBy</c>) and by supervisors; everyone else who may see the task sees
/// its header, status, outcome, completion time and the kind's shared fields. The support-and-contact person's
/// confidentiality (tavshedspligt) follows the author, not the course: a worker who takes over a course does not
/// inherit the previous worker's notes, and while a task is open there is nothing written to protect.
/// </summary>
public sealed class ConfidentialTaskKinds
{
    private readonly Dictionary<string, ConfidentialTaskKind> _kinds;

    public ConfidentialTaskKinds(IEnumerable<ConfidentialTaskKind> kinds) =>
        _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public bool Contains(string? kind) => kind is not null && _kinds.ContainsKey(kind);

    /// <summary>
    /// Supervisors read confidential notes of tasks that are not theirs (they supervise the people who write them);
    /// reading only: completing stays with the assignee (<see cref="TaskAccess.CanComplete"/>).
    /// </summary>
    public bool SupervisorMayRead(ClaimsPrincipal user, string? kind) => Contains(kind) && user.IsInRole(ExitRoles.Supervisor);

    public bool MayReadNote(ClaimsPrincipal user, TaskDetails task) =>
        !Contains(task.Kind) || user.IsInRole(ExitRoles.Supervisor) || IsAuthor(user, task);

    /// <summary>The task as <paramref name="user"/> may see it: the data cut down to the shared fields unless they may read the note.</summary>
    public TaskDetails ForReader(ClaimsPrincipal user, TaskDetails task) =>
        MayReadNote(user, task) ? task : task with { Data = Shared(_kinds[task.Kind!], task.Data) };

    private static bool IsAuthor(ClaimsPrincipal user, TaskDetails task) =>
        task.CompletedBy is not null && user.Identity?.IsAuthenticated == true
        && string.Equals(task.CompletedBy, user.Identity.Name, StringComparison.OrdinalIgnoreCase);

    private static JsonObject? Shared(ConfidentialTaskKind kind, JsonNode? data)
    {
        if (data is not JsonObject all || kind.SharedFields.Length == 0) return null;
        var shared = new JsonObject();
        foreach (var field in kind.SharedFields)
            if (all[field] is { } value) shared[field] = value.DeepClone();
        return shared.Count == 0 ? null : shared;
    }
}
