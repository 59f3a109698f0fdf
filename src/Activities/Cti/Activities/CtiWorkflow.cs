using System.Globalization;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>Task kinds CTI activities raise (the <c>kind</c> of the task record); a UI picks its form by these.</summary>
public static class CtiTaskKinds
{
    public const string FirstContactMeeting = "cti.contact-meeting.first";
    public const string ContactMeeting = "cti.contact-meeting";
    public const string FollowUp = "cti.follow-up";
    public const string Supervision = "cti.supervision";
    public const string ActivityPlanDraft = "cti.activity-plan.draft";
    public const string PhaseReview = "cti.phase-review";
    public const string BaselineEvaluation = "cti.evaluation.baseline";
    public const string PhaseChangeEvaluation = "cti.evaluation.phase-change";
    public const string FinalEvaluation = "cti.evaluation.final";
    public const string NetworkMeeting = "cti.handover.network-meeting";
    public const string LongTermPlan = "cti.handover.long-term-plan";
    public const string NetworkAgreement = "cti.handover.network-agreement";
    public const string ClosingMeeting = "cti.handover.closing-meeting";

    /// <summary>The one open "next contact no later than …" task of a course, re-planned from the rhythm by each logged contact.</summary>
    public const string NextContact = "cti.next-contact";

    /// <summary>The contact period's decision (Afklaring): continue, or end the course with a reason.</summary>
    public const string Clarification = "cti.clarification";

    public static string ForEvaluation(EvaluationKind kind) => kind switch
    {
        EvaluationKind.Baseline => BaselineEvaluation,
        EvaluationKind.PhaseChange => PhaseChangeEvaluation,
        _ => FinalEvaluation,
    };

    public static bool IsMeeting(string? kind) => kind is FirstContactMeeting or ContactMeeting;
}

/// <summary>What a CTI task asks for; <see cref="CtiWorkflow.RaiseTask"/> turns it into a task record and a bookmark.</summary>
internal sealed record CtiTaskSpec(
    string Kind,
    string Title,
    string? Instructions,
    string? Assignee,
    string? Role,
    DateTimeOffset DueAt,
    IReadOnlyList<string> Outcomes,
    JsonNode? FormSchema = null);

/// <summary>
/// Glue shared by the CTI activities. The course lives in the workflow variable <c>CtiCourse</c> (committed
/// with the instance state, so every activity of a burst sees the changes of the ones before it) and is
/// projected into the CTI tables by <see cref="CtiCommitParticipant"/> through <see cref="CourseSaved"/>.
/// Tasks are ordinary task records (<see cref="TaskCreated"/>) whose bookmark key is the task id, so the
/// task API (<see cref="HumanTaskService"/>) completes them and resumes the activity that raised them.
/// </summary>
internal static class CtiWorkflow
{
    public const string CourseVariable = "CtiCourse";
    public const string Category = "CTI";
    /// <summary>The application's worker role name (the host's <c>ExitRoles.Worker</c>): one list of roles, so a task
    /// left unassigned reaches the team queue of the people who hold it.</summary>
    public const string WorkerRole = "worker";
    public const string OpenTasksProperty = "OpenTasks";
    public const string TimerDueProperty = "TimerDue";

    private const string PayloadKind = "cti";

    public static string ControlKey(CourseId id) => $"cti-course:{id}";

    public static CourseId CourseIdOf(IActivityExecutionContext context) =>
        Guid.TryParse(context.CorrelationId, out var id)
            ? new CourseId(id)
            : throw new InvalidOperationException("A CTI workflow runs with the course id as its correlation id; this instance has none.");

    public static Course? TryLoadCourse(IActivityExecutionContext context)
    {
        var node = context.GetVariable(CourseVariable);
        return node is JsonObject o ? Course.Restore(CourseJson.FromNode(o)) : null;
    }

    public static Course LoadCourse(IActivityExecutionContext context) =>
        TryLoadCourse(context) ?? throw new InvalidOperationException(
            $"No CTI course in the workflow variable '{CourseVariable}': place Exit.StartCtiCourse before the other CTI activities.");

    public static void SaveCourse(IActivityExecutionContext context, Course course)
    {
        var state = course.ToState();
        context.SetVariable(CourseVariable, CourseJson.ToNode(state));
        context.AddEffect(new CourseSaved(state, context.WorkflowInstanceId, context.Now));
    }

    public static BookmarkRequest Timer(DateTimeOffset due) =>
        new(DueAt: due, Payload: new JsonObject { [PayloadKind] = "timer", ["due"] = Iso(due) });

    public static BookmarkRequest Control(CourseId id) =>
        new(Key: ControlKey(id), Payload: new JsonObject { [PayloadKind] = "control" });

    /// <summary>"timer", "control" or "task".</summary>
    public static string? KindOf(ResumeInput input) =>
        input.Payload?[PayloadKind] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool IsCurrentTimer(IActivityExecutionContext context, ResumeInput input) =>
        input.Payload?["due"]?.GetValue<string>() is { } due
        && context.Properties[TimerDueProperty]?.GetValue<string>() == due;

    public static BookmarkRequest ArmTimer(IActivityExecutionContext context, DateTimeOffset due)
    {
        context.Properties[TimerDueProperty] = Iso(due);
        return Timer(due);
    }

    public static void DisarmTimer(IActivityExecutionContext context) => context.Properties.Remove(TimerDueProperty);

    public static bool HasArmedTimer(IActivityExecutionContext context) => context.Properties[TimerDueProperty] is not null;

    public static BookmarkRequest RaiseTask(IActivityExecutionContext context, ITaskIdGenerator ids, CtiTaskSpec spec)
    {
        // Task due dates never fall on a Saturday, Sunday or Danish public holiday: they move to the next working day.
        var workingDays = context.Services.GetService(typeof(DanishWorkingDays)) as DanishWorkingDays ?? DanishWorkingDays.Default;
        spec = spec with { DueAt = workingDays.OnOrAfter(spec.DueAt) };
        var taskId = ids.NewId();
        context.AddEffect(new TaskCreated(
            TaskId: taskId,
            Title: spec.Title,
            Instructions: spec.Instructions,
            Kind: spec.Kind,
            Assignee: spec.Assignee,
            Role: spec.Role,
            CorrelationId: context.CorrelationId,
            InstanceId: context.WorkflowInstanceId,
            ActivityInstanceId: context.ActivityInstanceId,
            ActivityId: context.Node.Id,
            BookmarkKey: taskId,
            DueAt: spec.DueAt,
            AllowedOutcomes: spec.Outcomes,
            FormSchema: spec.FormSchema?.DeepClone(),
            CreatedAt: context.Now));
        OpenTasks(context)[taskId] = new JsonObject { ["kind"] = spec.Kind, ["due"] = Iso(spec.DueAt) };
        // The bookmark is named after the task (unique, like the task row's key), so completing it needs no lookup.
        return new BookmarkRequest(Key: taskId, Payload: new JsonObject { [PayloadKind] = "task", ["kind"] = spec.Kind }, Id: taskId);
    }

    public static JsonObject OpenTasks(IActivityExecutionContext context) =>
        context.Properties[OpenTasksProperty] as JsonObject ?? (JsonObject)(context.Properties[OpenTasksProperty] = new JsonObject());

    /// <summary>Removes a completed task from the open list: its kind and due date, or null if unknown.</summary>
    public static (string Kind, DateTimeOffset Due)? CloseTask(IActivityExecutionContext context, string? taskId)
    {
        var open = OpenTasks(context);
        if (taskId is null || open[taskId] is not JsonObject info) return null;
        open.Remove(taskId);
        return (info["kind"]!.GetValue<string>(), ParseIso(info["due"]!.GetValue<string>()));
    }

    public static string? Outcome(ResumeInput input) =>
        input.Input is JsonObject o && o["outcome"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonNode? Data(ResumeInput input) => input.Input is JsonObject o ? o["data"] : null;

    public static TEnum ParseEnum<TEnum>(string? text, TEnum fallback, string inputName)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException(
                $"Input '{inputName}': '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public static IReadOnlyList<SelectOption> OptionsOf<TEnum>(bool withDefault = false)
        where TEnum : struct, Enum
    {
        var items = Enum.GetNames<TEnum>().Select(n => new SelectOption(n, n));
        return withDefault ? [new SelectOption("(course default)", ""), .. items] : items.ToList();
    }

    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseIso(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>A Danish date for task titles: "14. december 2026".</summary>
    public static string DanishDate(DateTimeOffset instant) =>
        CopenhagenCalendar.ToLocal(instant).ToString("d. MMMM yyyy", CultureInfo.GetCultureInfo("da-DK"));

    public static string Day(DateTimeOffset instant) =>
        CopenhagenCalendar.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
