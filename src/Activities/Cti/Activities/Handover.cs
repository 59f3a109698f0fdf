using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.Handover</c>: phase 3's transfer of responsibility. Raises the network meeting(s), the long-term plan,
/// the agreement with the network naming the receiving actor (due the course's handover lead — by default one
/// month — before the end) and the closing meeting with the citizen at the end. Completes when all are done.
/// </summary>
public sealed class Handover(ITaskIdGenerator ids) : IResumableActivity
{
    public const string TypeName = "Exit.Handover";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "Handover",
        Description = "Phase 3: network meeting(s), long-term plan, agreement with a named receiving actor no later than the lead time before the end, closing meeting.",
        Kind = ActivityKind.Task,
        Inputs =
        [
            new() { Name = "NetworkMeetings", ClrType = typeof(int), TypeName = "Int32", Order = 0, DefaultValue = 2,
                DisplayName = "Network meetings", Description = "How many meetings with the network mark the handover." },
            new() { Name = "NetworkMeetingIntervalDays", ClrType = typeof(int), TypeName = "Int32", Order = 1, DefaultValue = 14,
                DisplayName = "Days between network meetings", Description = "Counted from the start of phase 3; never later than the agreement." },
        ],
        Ports = ["Done"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var course = CtiWorkflow.LoadCourse(context);
        var phase3 = course.Schedule[CoursePeriod.Phase3];
        var end = course.Schedule.End;
        var agreementDue = CopenhagenCalendar.AddMonths(end, -course.Settings.HandoverLeadMonths);
        var worker = course.ResponsibleWorkerId.Value;
        var bookmarks = new List<BookmarkRequest>();
        var interval = Math.Max(1, context.GetInput<int>("NetworkMeetingIntervalDays"));
        for (var i = 1; i <= Math.Max(0, context.GetInput<int>("NetworkMeetings")); i++)
        {
            var due = CopenhagenCalendar.AddDays(phase3.EffectiveStart, i * interval);
            bookmarks.Add(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.NetworkMeeting, $"Network meeting {i}",
                "Meet the citizen's network: is it in place, who supports the citizen after the course?",
                worker, CtiWorkflow.WorkerRole, due < agreementDue ? due : agreementDue, ["Done"])));
        }

        bookmarks.Add(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.LongTermPlan, "Long-term plan",
            "Write the long-term plan with the citizen and the network.", worker, CtiWorkflow.WorkerRole, agreementDue, ["Done"])));
        bookmarks.Add(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.NetworkAgreement, "Handover agreement with the network",
            "Agree with the network who takes over responsibility; name the receiving actor.", worker, CtiWorkflow.WorkerRole, agreementDue, ["Done"],
            new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "object",
                ["required"] = new System.Text.Json.Nodes.JsonArray("receivingActor"),
                ["properties"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["receivingActor"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string", ["title"] = "Receiving actor (organisation or role)" },
                },
            })));
        bookmarks.Add(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.ClosingMeeting, "Closing meeting",
            "Closing meeting with the citizen.", worker, CtiWorkflow.WorkerRole, end, ["Held", "Missed"])));
        return ValueTask.FromResult(ActivityResult.Suspend([.. bookmarks]));
    }

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        if (CtiWorkflow.KindOf(input) == "task"
            && CtiWorkflow.CloseTask(context, input.Key) is { Kind: CtiTaskKinds.NetworkAgreement }
            && CtiWorkflow.Outcome(input) == "Done"
            && CtiWorkflow.TryLoadCourse(context) is { } course)
        {
            var applied = CourseAnswers.HandoverAgreement(course, CtiWorkflow.Data(input), () => Guid.CreateVersion7(context.Now));
            if (applied.Changed) CtiWorkflow.SaveCourse(context, course);
            if (applied.Skipped.Count > 0) context.Log($"Handover answers left out: {string.Join(", ", applied.Skipped)}");
        }

        return ValueTask.FromResult(CtiWorkflow.OpenTasks(context).Count == 0 ? ActivityResult.Done : ActivityResult.Suspend());
    }
}
