using System.Security.Claims;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;

namespace Exit.Host.Infrastructure.Auth;

/// <summary>
/// A task kind whose submitted answers are confidential, and the answer fields that are not: the facts a manager
/// or a new worker needs to know the step happened and when (e.g. <c>heldOn</c>), never what was written.
/// </summary>
public sealed record ConfidentialTaskKind(string Kind, params string[] SharedFields)
{
    /// <summary>
    /// A municipal case note (the CTI worker's own meeting and contact notes): besides its author and supervisors, the
    /// course's responsible worker reads it — a worker who took the course over needs the history (continuity), and the
    /// read is audited with the purpose "continuity". Managers still never read it.
    /// </summary>
    public bool CaseNote { get; init; }
}

/// <summary>
/// The one rule for confidential task data (registered by the feature that raises the kinds). A note is read by the
/// person who wrote it (the task's <c>CompletedBy</c>) and by supervisors; a case note (<see cref="ConfidentialTaskKind.CaseNote"/>)
/// also by the course's responsible worker (continuity, audited). Everyone else who may see the task sees its header,
/// status, outcome, completion time and the kind's shared fields. The volunteer support-and-contact person's
/// confidentiality (tavshedspligt) follows the author, not the course: those notes are not case notes, and a worker
/// who takes over does not inherit them. While a task is open there is nothing written to protect.
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

    /// <param name="responsibleWorker">The user is the course's responsible worker (<see cref="ICaseloadAccess.CanReadConfidentialNotesAsync"/>).</param>
    public bool MayReadNote(ClaimsPrincipal user, TaskDetails task, bool responsibleWorker = false) =>
        !Contains(task.Kind) || user.IsInRole(ExitRoles.Supervisor) || IsAuthor(user, task) || IsContinuityRead(user, task, responsibleWorker);

    /// <summary>
    /// The responsible worker reading a case note someone else wrote: allowed for continuity, and the caller audits it
    /// with the purpose "continuity".
    /// </summary>
    public bool IsContinuityRead(ClaimsPrincipal user, TaskDetails task, bool responsibleWorker) =>
        responsibleWorker && task.Kind is not null && _kinds.TryGetValue(task.Kind, out var kind) && kind.CaseNote
        && user.IsInRole(ExitRoles.Worker) && !IsAuthor(user, task) && task.Data is not null;

    /// <summary>The task as <paramref name="user"/> may see it: the data cut down to the shared fields unless they may read the note.</summary>
    public TaskDetails ForReader(ClaimsPrincipal user, TaskDetails task, bool responsibleWorker = false) =>
        MayReadNote(user, task, responsibleWorker) ? task : task with { Data = Shared(_kinds[task.Kind!], task.Data) };

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
