using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.RaiseSupervision</c>: raises a supervision task for the supervisor at each cadence date from the course
/// start (default monthly) for the course's support-and-contact person(s) and worker. Tasks with the same
/// group key and date can be held as one group session. No sessions are raised on or after the course's end
/// (which moves with early phase closes and pauses); the activity completes once its last task is done.
/// </summary>
public sealed class RaiseSupervision(ITaskIdGenerator ids) : IResumableActivity
{
    public const string TypeName = "Exit.RaiseSupervision";
    public const string DefaultRole = "supervisor"; // the host's ExitRoles.Supervisor

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "Raise supervision",
        Description = "Recurring supervision (default monthly) for the course's support-and-contact person(s) and worker: a task for the supervisor at each date until the course ends.",
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

    private const string NextProperty = "Next";

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var course = CtiWorkflow.LoadCourse(context);
        var cadence = CtiWorkflow.ParseEnum(context.GetInput<string>("Cadence"), ContactCadence.Monthly, "Cadence");
        if (cadence != course.Settings.SupervisionCadence)
        {
            course = Course.Restore(course.ToState() with { Settings = course.Settings with { SupervisionCadence = cadence } });
            CtiWorkflow.SaveCourse(context, course);
        }

        context.Properties[NextProperty] = 0;
        return ValueTask.FromResult(Step(context, course));
    }

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        var course = CtiWorkflow.LoadCourse(context);
        switch (CtiWorkflow.KindOf(input))
        {
            case "timer" when CtiWorkflow.IsCurrentTimer(context, input):
                CtiWorkflow.DisarmTimer(context);
                return ValueTask.FromResult(Step(context, course));
            case "task":
                CtiWorkflow.CloseTask(context, input.Key);
                return ValueTask.FromResult(Step(context, course));
            default:
                return ValueTask.FromResult(ActivityResult.Suspend());
        }
    }

    /// <summary>Raises every session due by now, arms a timer for the next one before the end, completes when nothing is left.</summary>
    private ActivityResult Step(IActivityExecutionContext context, Course course)
    {
        var dates = ContactCadenceSchedule.DueDates(course.StartDate, course.Schedule.End, course.Settings.SupervisionCadence);
        var next = context.Properties[NextProperty]!.GetValue<int>();
        var bookmarks = new List<BookmarkRequest>();
        var participants = context.GetInput<string[]>("Participants") ?? [];
        var groupKey = context.GetInput<string>("GroupKey");
        while (next < dates.Count && dates[next] <= context.Now)
        {
            bookmarks.Add(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(
                CtiTaskKinds.Supervision,
                "Supervision",
                $"Supervision for: {string.Join(", ", participants)} (course {course.Id}, worker {course.ResponsibleWorkerId}).",
                Blank(context.GetInput<string>("Supervisor")),
                Blank(context.GetInput<string>("SupervisorRole")) ?? DefaultRole,
                dates[next],
                ["Held", "Cancelled"],
                new JsonObject { ["groupKey"] = Blank(groupKey), ["session"] = next + 1 })));
            next++;
        }

        context.Properties[NextProperty] = next;
        if (next < dates.Count && !course.IsEnded && !CtiWorkflow.HasArmedTimer(context))
            bookmarks.Add(CtiWorkflow.ArmTimer(context, dates[next]));
        if (bookmarks.Count == 0 && !CtiWorkflow.HasArmedTimer(context) && CtiWorkflow.OpenTasks(context).Count == 0)
            return ActivityResult.Done;
        return ActivityResult.Suspend([.. bookmarks]);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
