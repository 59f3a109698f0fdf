using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.ScheduleEvaluation</c>: raises an evaluation task for the worker (baseline, phase change or final) with
/// the instruments WHO-5, paid for sex in the last month and the ten life-situation areas, and waits for it. The
/// task is completed with the answers; the system computes the scores and records the evaluation with the
/// instance's commit. "Declined" records nothing (the citizen did not want to answer).
/// </summary>
public sealed class ScheduleEvaluation(ITaskIdGenerator ids) : IResumableActivity
{
    public const string TypeName = "Exit.ScheduleEvaluation";
    public const string Recorded = "Recorded";
    public const string Declined = "Declined";

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "Schedule evaluation",
        Description = "Raises an evaluation task (WHO-5, paid for sex in the last month, life situation in ten areas) and waits until it is recorded; scores are computed, not typed.",
        Kind = ActivityKind.Task,
        Inputs =
        [
            new() { Name = "Kind", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", IsRequired = true, Order = 0,
                Options = CtiWorkflow.OptionsOf<EvaluationKind>(), DefaultValue = nameof(EvaluationKind.Baseline),
                DisplayName = "Evaluation", Description = "Baseline at the start, PhaseChange at each phase change, Final at the end." },
            new() { Name = "DueInDays", ClrType = typeof(int), TypeName = "Int32", Order = 1, DefaultValue = 0,
                DisplayName = "Due (days after this point)" },
        ],
        Outputs =
        [
            new("Who5Score", "Int32", "WHO-5 score", "Raw sum × 4 (0–100); ≤ 50 risk zone, ≤ 35 high risk."),
            new("PaidForSexLastMonth", "Boolean", "Paid for sex last month"),
            new("LifeSituationTotal", "Int32", "Life situation total", "Sum of the ten areas (10–100)."),
        ],
        Ports = ["Done"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var kind = CtiWorkflow.ParseEnum(context.GetInput<string>("Kind"), EvaluationKind.Baseline, "Kind");
        context.Properties["Kind"] = kind.ToString();
        var due = CopenhagenCalendar.AddDays(context.Now, context.GetInput<int>("DueInDays"));
        return ValueTask.FromResult(ActivityResult.Suspend(Raise(context, kind, due, null)));
    }

    private BookmarkRequest Raise(IActivityExecutionContext context, EvaluationKind kind, DateTimeOffset due, string? note)
    {
        var course = CtiWorkflow.LoadCourse(context);
        return CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(
            CtiTaskKinds.ForEvaluation(kind),
            kind switch
            {
                EvaluationKind.Baseline => "Baseline evaluation",
                EvaluationKind.PhaseChange => $"Phase-change evaluation ({course.CurrentPeriod})",
                _ => "Final evaluation",
            },
            (note is null ? "" : note + " ") +
            "Fill in WHO-5, paid for sex within the last month, and the ten life-situation areas together with the citizen.",
            course.ResponsibleWorkerId.Value, CtiWorkflow.WorkerRole, due, [Recorded, Declined],
            EvaluationData.FormSchema(kind)));
    }

    public ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        if (CtiWorkflow.KindOf(input) != "task") return ValueTask.FromResult(ActivityResult.Suspend());
        var closed = CtiWorkflow.CloseTask(context, input.Key);
        if (CtiWorkflow.Outcome(input) == Recorded)
        {
            var kind = Enum.Parse<EvaluationKind>(context.Properties["Kind"]!.GetValue<string>());
            Evaluation evaluation;
            try
            {
                evaluation = EvaluationData.Parse(CtiWorkflow.Data(input), CtiWorkflow.CourseIdOf(context), kind, context.Now);
            }
            catch (Exception e) when (e is CtiRuleViolation or InvalidOperationException or FormatException)
            {
                // Answers that reached us past the CTI API (e.g. the generic task endpoint) and do not parse: the course
                // must not fault over a form. The task is done; a new one asks again, due as the old one was.
                var rule = (e as CtiRuleViolation)?.Rule ?? "cti.evaluation.malformed";
                context.Log($"Evaluation answers rejected ({rule}); evaluation task raised again");
                return ValueTask.FromResult(ActivityResult.Suspend(
                    Raise(context, kind, closed?.Due ?? context.Now, $"The answers given before were not valid ({rule}).")));
            }

            context.AddEffect(new EvaluationRecorded(input.Key!, evaluation, null));
            context.SetOutput("Who5Score", evaluation.Who5?.Score);
            context.SetOutput("PaidForSexLastMonth", evaluation.PaidForSex?.Paid);
            context.SetOutput("LifeSituationTotal", evaluation.LifeSituation?.Total);
        }

        return ValueTask.FromResult(ActivityResult.Done);
    }
}
