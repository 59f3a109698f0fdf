using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.RaiseSupervision</c>, retired: supervision is no longer raised per citizen course. Counted from each course's
/// start, it gave every course its own monthly session, so courses started on different days never shared one, and the
/// scheme's rule (seed 000: the SKP team's supervision once a month by a psychologist, held jointly) could not be kept.
/// Supervision is now a series per SKP team (and one for the workers) planned by <c>SupervisionPlanner</c> on the clock
/// (src/Activities/SupportPersons). The shipped course no longer contains this step; the type stays registered so courses
/// started on earlier definition versions still run: it raises nothing, and on its next wake-up (timer or task) it cancels
/// what it had open and completes. Open per-course supervision tasks are cancelled with a note at start-up
/// (<c>PerCourseSupervisionRetirement</c>).
/// </summary>
public sealed class RaiseSupervision : IResumableActivity
{
    public const string TypeName = "Exit.RaiseSupervision";
    public const string DefaultRole = "supervisor"; // the host's ExitRoles.Supervisor

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "Raise supervision",
        Description = "Retired: supervision is held as a series per support-and-contact-person team (and one for the workers), not per course. Kept so courses on earlier versions still run; raises nothing and completes.",
        Kind = ActivityKind.Task,
        Inputs =
        [
            new() { Name = "Cadence", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", Order = 0,
                Options = CtiWorkflow.OptionsOf<ContactCadence>(), DefaultValue = nameof(ContactCadence.Monthly),
                DisplayName = "Cadence", Description = "How often supervision is held, counted from the course start." },
            new() { Name = "Supervisor", ClrType = typeof(string), TypeName = "String", Order = 1,
                DisplayName = "Supervisor", Description = "User id of the supervisor (psychologist); empty: anyone in the supervisor role." },
            new() { Name = "SupervisorRole", ClrType = typeof(string), TypeName = "String", Order = 2, DefaultValue = DefaultRole,
                DisplayName = "Supervisor role" },
            new() { Name = "Participants", ClrType = typeof(string[]), TypeName = "String[]", UiHint = "multitext", Order = 3,
                DefaultValue = new[] { "support-and-contact persons", "worker" }, DefaultSyntax = "Object",
                DisplayName = "Participants", Description = "Who is supervised (names of roles, not of people)." },
            new() { Name = "GroupKey", ClrType = typeof(string), TypeName = "String", Order = 4,
                DisplayName = "Group key", Description = "Supervision tasks with the same group key and date may be held as one group session (e.g. all SKPs of one NGO)." },
        ],
        Ports = ["Done"],
    };


    public const string RetiredReason = "Supervision holdes nu som et forløb pr. team af støtte- og kontaktpersoner (og et for medarbejderne), ikke pr. borger.";

    /// <summary>Completes at once: a course raises no supervision of its own.</summary>
    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context) => ValueTask.FromResult(ActivityResult.Done);

    /// <summary>An instance of an earlier version wakes this step: its open tasks are cancelled with a note and it completes.</summary>
    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        CtiWorkflow.DisarmTimer(context);
        var open = CtiWorkflow.OpenTasks(context);
        var ids = open.Select(p => p.Key).Where(id => id != input.Key).ToList();
        if (ids.Count > 0) context.AddEffect(new Persistence.CtiTasksCancelled(context.WorkflowInstanceId, ids, context.Now, RetiredReason));
        open.Clear();
        return ValueTask.FromResult(ActivityResult.Done);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
