using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Activities;

/// <summary>
/// <c>Exit.CtiPhase</c>: runs one period of the course (contact period, phase 1, 2 or 3). On entry it starts the
/// phase in the course (phases run in order: skipping one faults with <c>cti.course.phases-in-order</c>), records the
/// period's default contact rhythm and focus areas, and raises ONE open task "Næste kontakt senest …" from the rhythm
/// (plus the activity-plan task, if configured). Each contact logged with the citizen satisfies it and raises the next
/// one from the rhythm; when the rhythm is broken the task goes overdue. The contact period also raises the decision
/// (Afklaring) due at its bound: it never ends by itself; "continue" starts phase 1, any other answer ends the course
/// (port <c>Ended</c>). Phases 1–3 complete at their planned end or when the worker closes them early. While it runs it
/// is the course's controller: pause, resume, reassignment, early close, contacts, rhythm changes, the ending and the
/// upgrade of a course started before the rhythm arrive as a resume of its bookmark keyed <c>cti-course:{courseId}</c>.
/// </summary>
public sealed partial class CtiPhase(
    ITaskIdGenerator ids, TaskDbContextFactory tasks, CtiDbContextFactory cti, DanishWorkingDays workingDays, ILogger<CtiPhase> logger)
    : IResumableActivity
{
    public const string TypeName = "Exit.CtiPhase";
    public const string Held = "Held";
    public const string Missed = "Missed";
    public const string ContactLogged = "ContactLogged";
    public const string EndedPort = "Ended";
    public const string NextContactProperty = "NextContactTask";

    public static class Commands
    {
        public const string Close = "close";
        public const string Pause = "pause";
        public const string Resume = "resume";
        public const string Reassign = "reassign";
        public const string Network = "network";
        public const string Contact = "contact";
        public const string Rhythm = "rhythm";
        public const string End = "end";
        public const string Upgrade = "upgrade";
    }

    /// <summary>Why the pre-generated meeting tasks of a course started before the rhythm were cancelled.</summary>
    public const string UpgradeReason = "Erstattet af kontaktrytmen: én opgave \"Næste kontakt senest …\" (opgradering)";

    public enum PlanTaskKind { None, DraftActivityPlan, ReviewActivityPlan }

    public static readonly ActivityDescriptor Descriptor = new()
    {
        TypeName = TypeName,
        Category = CtiWorkflow.Category,
        DisplayName = "CTI phase",
        Description = "Enters a period of the CTI course and keeps one next-contact task from the contact rhythm; the contact period ends with the decision (Afklaring), phases at their planned end or when the worker closes them early; any period can end the course (port Ended).",
        Kind = ActivityKind.Task,
        Inputs =
        [
            new() { Name = "Period", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", IsRequired = true, Order = 0,
                Options = CtiWorkflow.OptionsOf<CoursePeriod>(), DisplayName = "Period",
                Description = "ContactPeriod, Phase1, Phase2 or Phase3; they must follow each other in this order." },
            new() { Name = "Cadence", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", Order = 1,
                Options = CtiWorkflow.OptionsOf<ContactCadence>(withDefault: true), DefaultValue = "", DisplayName = "Contact rhythm (default)",
                Description = "The period's default contact rhythm; the worker can change it per citizen. Empty: weekly in the contact period and phase 1, every two weeks in phase 2, monthly in phase 3." },
            new() { Name = "FocusAreas", ClrType = typeof(string[]), TypeName = "String[]", UiHint = "checklist", Order = 2,
                Options = CtiWorkflow.OptionsOf<FocusArea>(), DisplayName = "Focus areas",
                Description = "3–5 focus areas chosen with the citizen for this phase (optional here; can be set later)." },
            new() { Name = "PlanTask", ClrType = typeof(string), TypeName = "String", UiHint = "dropdown", Order = 3,
                Options = CtiWorkflow.OptionsOf<PlanTaskKind>(), DefaultValue = nameof(PlanTaskKind.None), DisplayName = "Activity plan task",
                Description = "Draft the activity plan (phase 1) or evaluate and adjust it (phase 2, the phase review)." },
            new() { Name = "PlanTaskDueInDays", ClrType = typeof(int), TypeName = "Int32", Order = 4, DefaultValue = 0,
                DisplayName = "Activity plan task due (days after phase start)" },
            new() { Name = "MeetingInstructions", ClrType = typeof(string), TypeName = "String", UiHint = "multiline", Order = 5,
                DisplayName = "Contact instructions", Description = "Shown on the next-contact task." },
        ],
        Outputs =
        [
            new("ClosedEarly", "Boolean", "Closed early", "True when the worker closed the phase before its planned end."),
        ],
        Ports = ["Done", EndedPort],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(IActivityExecutionContext context)
    {
        var period = CtiWorkflow.ParseEnum(context.GetInput<string>("Period"), CoursePeriod.ContactPeriod, "Period");
        var course = CtiWorkflow.LoadCourse(context);
        var now = context.Now;
        if (course.CurrentPeriod != period)
            course.StartPhase(period, now); // throws cti.course.phases-in-order for a skipped phase or one already passed

        var cadenceText = context.GetInput<string>("Cadence");
        course.UseDefaultRhythm(period, CtiWorkflow.ParseEnum(cadenceText, CoursePlanSettings.Default.CadenceFor(period), "Cadence"));

        var focus = context.GetInput<string[]>("FocusAreas");
        if (period != CoursePeriod.ContactPeriod && focus is { Length: > 0 })
            course.SetFocusAreas(period, focus.Select(f => CtiWorkflow.ParseEnum(f, FocusArea.Economy, "FocusAreas")));
        CtiWorkflow.SaveCourse(context, course);

        context.Properties["Period"] = period.ToString();
        var schedule = course.Schedule[period];
        var worker = course.ResponsibleWorkerId.Value;
        var bookmarks = new List<BookmarkRequest> { await RaiseNextContactAsync(context, course, period, pending: null) };

        if (period == CoursePeriod.ContactPeriod)
            bookmarks.Add(RaiseClarification(context, course));

        var planTask = CtiWorkflow.ParseEnum(context.GetInput<string>("PlanTask"), PlanTaskKind.None, "PlanTask");
        if (planTask != PlanTaskKind.None)
        {
            var due = CopenhagenCalendar.AddDays(schedule.EffectiveStart, context.GetInput<int>("PlanTaskDueInDays"));
            bookmarks.Add(planTask == PlanTaskKind.DraftActivityPlan
                ? CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.ActivityPlanDraft, "Draft the activity plan",
                    "Draft the activity plan with the citizen: activities per chosen focus area.", worker, CtiWorkflow.WorkerRole, due, ["Done"]))
                : CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(CtiTaskKinds.PhaseReview, $"Phase review ({period})",
                    "Evaluate and adjust the activity plan; check whether the support network works.", worker, CtiWorkflow.WorkerRole, due, ["Done"])));
        }

        // The contact period has no timer: it ends only with the decision (nothing advances silently).
        if (period != CoursePeriod.ContactPeriod) bookmarks.Add(CtiWorkflow.ArmTimer(context, schedule.PlannedEnd));
        bookmarks.Add(CtiWorkflow.Control(course.Id));
        logger.LogInformation("Course {CourseId} entered {Period}; rhythm {Cadence}, planned end {PlannedEnd:O}",
            course.Id, period, course.Settings.CadenceFor(period), schedule.PlannedEnd);
        return ActivityResult.Suspend([.. bookmarks]);
    }

    public async ValueTask<ActivityResult> ResumeAsync(IActivityExecutionContext context, ResumeInput input)
    {
        var period = Enum.Parse<CoursePeriod>(context.Properties["Period"]!.GetValue<string>());
        var course = CtiWorkflow.LoadCourse(context);
        switch (CtiWorkflow.KindOf(input))
        {
            case "timer":
                if (period == CoursePeriod.ContactPeriod || !CtiWorkflow.IsCurrentTimer(context, input)) return ActivityResult.Suspend();
                CtiWorkflow.DisarmTimer(context);
                if (course.Status == CourseStatus.Paused) return ActivityResult.Suspend(); // re-armed on resume
                if (context.Now >= course.Schedule[period].PlannedEnd) return Finish(context, course, period, closedEarly: false);
                return ActivityResult.Suspend(CtiWorkflow.ArmTimer(context, course.Schedule[period].PlannedEnd));
            case "control":
                return await ControlAsync(context, course, period, input.Input as JsonObject);
            case "task":
                return await OnTaskCompletedAsync(context, course, period, input);
            default:
                return ActivityResult.Suspend();
        }
    }

    private async Task<ActivityResult> ControlAsync(IActivityExecutionContext context, Course course, CoursePeriod period, JsonObject? command)
    {
        var control = CtiWorkflow.Control(course.Id);
        var name = command?["command"]?.GetValue<string>();
        var now = context.Now;
        try
        {
            switch (name)
            {
                case Commands.Close:
                    var phase = command?["period"]?.GetValue<string>();
                    if (phase is not null && !string.Equals(phase, period.ToString(), StringComparison.OrdinalIgnoreCase))
                        throw new CtiRuleViolation(CtiRules.PhasesInOrder, $"Only the running period ({period}) can be closed, not {phase}.");
                    if (course.Status == CourseStatus.Paused)
                        throw new CtiRuleViolation(CtiRules.CoursePaused, "The course is paused; resume it first.");
                    if (period == CoursePeriod.ContactPeriod)
                        throw new CtiRuleViolation(CtiRules.DecisionRequired, "The contact period ends with the decision (Afklaring), not by closing it.");
                    return Finish(context, course, period, closedEarly: true);

                case Commands.Contact:
                    return await ContactAsync(context, course, period, command!, control);

                case Commands.Rhythm:
                {
                    var target = CtiWorkflow.ParseEnum(command?["period"]?.GetValue<string>(), period, "period");
                    var cadence = CtiWorkflow.ParseEnum(command?["rhythm"]?.GetValue<string>(), course.Settings.CadenceFor(target), "rhythm");
                    course.ChangeRhythm(target, cadence, now, command?["by"]?.GetValue<string>());
                    CtiWorkflow.SaveCourse(context, course);
                    logger.LogInformation("Course {CourseId}: rhythm of {Period} changed to {Cadence}", course.Id, target, cadence);
                    if (target != period) return ActivityResult.Suspend(control);
                    var replanned = await ReplanAsync(context, course, period, pending: null, satisfiedBy: null, "Kontaktrytmen er ændret");
                    return replanned is null ? ActivityResult.Suspend(control) : ActivityResult.Suspend(control, replanned);
                }

                case Commands.End:
                {
                    var reason = CtiWorkflow.ParseEnum(command?["reason"]?.GetValue<string>(), EndingReason.Other, "reason");
                    var endedOn = command?["endedOn"]?.GetValue<string>() is { } text ? CtiWorkflow.ParseIso(text) : now;
                    return EndCourse(context, course, period, reason, endedOn, command?["by"]?.GetValue<string>());
                }

                case Commands.Upgrade:
                    return await UpgradeAsync(context, course, period, control);

                case Commands.Pause:
                    course.Pause(CtiWorkflow.ParseEnum(command?["reason"]?.GetValue<string>(), PauseReason.Other, "reason"), now);
                    CtiWorkflow.SaveCourse(context, course);
                    logger.LogInformation("Course {CourseId} paused in {Period}", course.Id, period);
                    return ActivityResult.Suspend(control);

                case Commands.Resume:
                    var from = course.Pauses[^1].From;
                    course.Resume(now);
                    CtiWorkflow.SaveCourse(context, course);
                    var delta = CopenhagenCalendar.WallClockDifference(from, now);
                    var courseId = course.Id.ToString();
                    var fromTicks = TaskRecord.DueOrderOf(from);
                    await using (var db = tasks.Create())
                    {
                        var open = await db.Tasks.AsNoTracking()
                            .Where(t => t.CorrelationId == courseId && t.Status == HumanTaskStatus.Open && t.DueOrder >= fromTicks && t.DueOrder != TaskRecord.NoDueDate
                                    && t.Kind != CtiTaskKinds.Supervision) // supervision is for the workers and goes on
                            .Select(t => t.Id).ToListAsync();
                        context.AddEffect(new CtiTasksShifted(open, delta));
                        foreach (var id in open)
                        {
                            if (CtiWorkflow.OpenTasks(context)[id] is JsonObject info)
                                info["due"] = CtiWorkflow.Iso(workingDays.OnOrAfter(CopenhagenCalendar.Shift(CtiWorkflow.ParseIso(info["due"]!.GetValue<string>()), delta)));
                        }
                    }

                    logger.LogInformation("Course {CourseId} resumed; planned dates moved by {Delta}", course.Id, delta);
                    return ActivityResult.Suspend(control, CtiWorkflow.ArmTimer(context, course.Schedule[period].PlannedEnd));

                case Commands.Reassign:
                    var to = command?["worker"]?.GetValue<string>()?.Trim();
                    if (string.IsNullOrEmpty(to)) throw new InvalidOperationException("A reassignment needs a worker.");
                    var previous = course.ResponsibleWorkerId.Value;
                    course.ReassignWorker(new WorkerId(to), now, command?["reason"]?.GetValue<string>());
                    CtiWorkflow.SaveCourse(context, course);
                    var id2 = course.Id.ToString();
                    await using (var db = tasks.Create())
                    {
                        var open = await db.Tasks.AsNoTracking()
                            .Where(t => t.CorrelationId == id2 && t.Status == HumanTaskStatus.Open && t.Assignee == previous)
                            .Select(t => t.Id).ToListAsync();
                        context.AddEffect(new CtiTasksReassigned(open, previous, to, now, command?["by"]?.GetValue<string>()));
                    }

                    logger.LogInformation("Course {CourseId} reassigned", course.Id);
                    return ActivityResult.Suspend(control);

                case Commands.Network:
                    course.ReplaceNetwork(CourseJson.NetworkFromNode(command?["members"]));
                    CtiWorkflow.SaveCourse(context, course);
                    logger.LogInformation("Course {CourseId}: network replaced ({Members} members)", course.Id, course.Network.Count);
                    return ActivityResult.Suspend(control);

                default:
                    logger.LogWarning("Course {CourseId}: unknown control command ignored", course.Id);
                    return ActivityResult.Suspend(control);
            }
        }
        catch (CtiRuleViolation e)
        {
            // The API checks the rules first; a command that lost a race is refused here without faulting the course.
            logger.LogWarning("Course {CourseId}: command {Command} refused by rule {Rule}", course.Id, name, e.Rule);
            context.Log($"Command {name} refused: {e.Rule}");
            return ActivityResult.Suspend(control);
        }
    }

    private async Task<ActivityResult> OnTaskCompletedAsync(IActivityExecutionContext context, Course course, CoursePeriod period, ResumeInput input)
    {
        var closed = CtiWorkflow.CloseTask(context, input.Key);
        if (closed is { Kind: CtiTaskKinds.Clarification })
        {
            var answer = CtiWorkflow.ParseEnum(CtiWorkflow.Outcome(input), ClarificationAnswer.Continue, "outcome");
            var by = CtiWorkflow.Data(input)?["decidedBy"]?.GetValue<string>();
            logger.LogInformation("Course {CourseId}: decision {Answer}", course.Id, answer);
            if (answer == ClarificationAnswer.Continue) return Finish(context, course, period, closedEarly: false);
            return EndCourse(context, course, period, Enum.Parse<EndingReason>(answer.ToString()), context.Now, by);
        }

        if (closed is { Kind: CtiTaskKinds.NextContact } && !course.IsEnded)
        {
            // Completed by hand (task API) rather than by a logged contact: the rhythm is unchanged, so the next
            // contact is still due when it was; only a logged contact re-plans it.
            context.Properties.Remove(NextContactProperty);
            return ActivityResult.Suspend(RaiseNextContactTask(context, course, period, closed.Value.Due));
        }

        if (closed is { Kind: CtiTaskKinds.ActivityPlanDraft or CtiTaskKinds.PhaseReview } && CtiWorkflow.Outcome(input) == "Done")
        {
            var applied = CourseAnswers.ActivityPlan(course, period, CtiWorkflow.Data(input), () => Guid.CreateVersion7(context.Now));
            if (applied.Changed) CtiWorkflow.SaveCourse(context, course);
            if (applied.Skipped.Count > 0) context.Log($"Activity plan answers left out: {string.Join(", ", applied.Skipped)}");
            if (course.FocusAreas.TryGetValue(period, out var focus) && !focus.IsWithinGuidance)
                logger.LogWarning("Course {CourseId}: {Count} focus areas chosen for {Period}, outside the guide's usual 3–5", course.Id, focus.Areas.Count, period);
            logger.LogInformation("Course {CourseId}: activity plan recorded for {Period} ({Activities} activities in the plan)",
                course.Id, period, course.Activities.Count);
            return ActivityResult.Suspend();
        }

        if (closed is { } task && CtiTaskKinds.IsMeeting(task.Kind) && CtiWorkflow.Outcome(input) == Missed && !course.IsEnded)
        {
            // No sanctions: a missed meeting is follow-up work for the worker, nothing else changes.
            var followUp = course.RecordMissedMeeting(task.Due, context.Now);
            logger.LogInformation("Course {CourseId}: missed meeting; follow-up raised", course.Id);
            return ActivityResult.Suspend(CtiWorkflow.RaiseTask(context, ids, new CtiTaskSpec(
                CtiTaskKinds.FollowUp, "Follow up a missed meeting", followUp.Description,
                followUp.WorkerId.Value, CtiWorkflow.WorkerRole, followUp.DueBy, ["Done"])));
        }

        return ActivityResult.Suspend();
    }

    private ActivityResult Finish(IActivityExecutionContext context, Course course, CoursePeriod period, bool closedEarly)
    {
        if (period == CoursePeriod.Phase3)
        {
            course.Complete(context.Now);
            CtiWorkflow.SaveCourse(context, course);
        }

        // The period's open tasks end with it (the next period raises its own next-contact task from the rhythm).
        context.AddEffect(new CtiTasksCancelled(context.WorkflowInstanceId, CtiWorkflow.OpenTasks(context).Select(p => p.Key).ToList(), context.Now,
            "Perioden er slut"));
        context.SetOutput("ClosedEarly", closedEarly);
        logger.LogInformation("Course {CourseId}: {Period} ended{Early}", course.Id, period, closedEarly ? " early" : "");
        return ActivityResult.Complete("Done");
    }
}
