using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>Course changes through the API service on the real runtime: phase length, early close, pause, reassignment, skipping, missed meetings.</summary>
public sealed class CtiCourseChangeTests(ITestOutputHelper output)
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0);

    private static async Task<(CtiRuntimeHost Host, StartedCourse Course)> StartAsync(
        Func<JsonObject, JsonObject>? edit = null, string? extra = null, string? definitionId = null, bool postgres = false)
    {
        var host = await CtiRuntimeHost.StartAsync(Local(Start), edit, extra, postgres);
        var citizen = await host.Cti(s => s.CreateCitizenAsync("Maja", null, CancellationToken.None));
        var course = await host.Cti(s => s.StartCourseAsync(citizen, Worker, CourseGoal.ImproveLifeSituation, definitionId, 1m, CancellationToken.None));
        return (host, course);
    }

    [Fact]
    public async Task Definition_PassesTheRuntimeValidation_WithCtiActivitiesRegistered()
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(Start));
        var parsed = DefinitionJsonReader.Parse(CtiRuntimeHost.DefinitionJson());
        var problems = host.Services.GetRequiredService<DefinitionValidator>().Validate(parsed);
        Assert.Empty(problems);
        var published = await host.Services.GetRequiredService<IWorkflowDefinitionStore>().FindAsync("cti-course", VersionOptions.Published, CancellationToken.None);
        Assert.NotNull(published);
    }

    [Fact]
    public async Task PhaseLengthInputOfThree_GivesANineMonthCourse()
    {
        var (host, started) = await StartAsync(json =>
        {
            var course = json["root"]!["activities"]!.AsArray().First(a => a!["id"]!.GetValue<string>() == "course1")!;
            course["phaseLengthMonths"]!["expression"]!["value"] = "3";
            return json;
        });
        await using var _ = host;
        var phase1 = Start.AddDays(42);
        var end = Local(phase1.AddMonths(9));
        await host.RunUntilAsync(end.AddDays(1), () => CtiCourseRuntimeTests.RecordOpenEvaluationsAsync(host, started.CourseId));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CourseStatus.Completed, course.Status);
        Assert.Equal(Local(phase1), course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(end, course.Schedule.End);
        Assert.Equal(9, (Wall(course.Schedule.End).Year - Wall(Local(phase1)).Year) * 12 + Wall(course.Schedule.End).Month - phase1.Month);
        var actual = Sorted((await host.TasksAsync(started.CourseId)).Select(t => new Expected(t.Kind!, t.DueAt!.Value, t.Assignee)));
        Assert.Equal(Format(StandardCourse(Start, 3)), Format(actual));
    }

    [Fact]
    public async Task ClosingAPhaseEarly_StartsTheNextNowAndMovesEveryLaterDate()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        var close = Local(Start.AddDays(10));
        await host.RunUntilAsync(close);
        await host.Cti(s => s.ClosePhaseAsync(started.CourseId, CoursePeriod.ContactPeriod, CancellationToken.None));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CoursePeriod.Phase1, course.CurrentPeriod);
        Assert.Equal(close, course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(Local(Start.AddDays(10).AddMonths(4)), course.Schedule[CoursePeriod.Phase2].PlannedStart); // was 13 Aug, now 12 Jul
        Assert.Equal(Local(Start.AddDays(10).AddMonths(12)), course.Schedule.End);

        var tasks = await host.TasksAsync(started.CourseId);
        Assert.Equal(close, tasks.Single(t => t.Kind == CtiTaskKinds.BaselineEvaluation).DueAt);
        var phase1Meetings = tasks.Where(t => t.Kind == CtiTaskKinds.ContactMeeting && t.DueAt >= close && t.Status == HumanTaskStatus.Open)
            .Select(t => t.DueAt!.Value).ToList();
        Assert.Equal(Every(Start.AddDays(10), Start.AddDays(10).AddMonths(4), 7).ToList(), phase1Meetings);
        // The contact period's remaining meetings (after the close) were cancelled with it.
        Assert.All(tasks.Where(t => t.Kind == CtiTaskKinds.ContactMeeting && t.DueAt > close && t.DueAt < Local(Start.AddDays(42)) && t.CreatedAt < close),
            t => Assert.Equal(HumanTaskStatus.Cancelled, t.Status));

        // Phase 2 now starts at the moved date: its phase-change evaluation is due then.
        var phase2 = Local(Start.AddDays(10).AddMonths(4));
        await host.RunUntilAsync(phase2.AddHours(1));
        var evaluation = (await host.TasksAsync(started.CourseId)).Single(t => t.Kind == CtiTaskKinds.PhaseChangeEvaluation);
        Assert.Equal(phase2, evaluation.DueAt);
    }

    [Fact]
    public Task PauseAndResume_ShiftOpenTasksAndThePhaseEndByThePausedWallClockTime() => PauseAndResumeAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task PauseAndResume_OnPostgres() => PauseAndResumeAsync(postgres: true);

    private static async Task PauseAndResumeAsync(bool postgres)
    {
        var (host, started) = await StartAsync(postgres: postgres);
        await using var _ = host;
        var pauseAt = Local(2026, 3, 20);
        var resumeAt = Local(2026, 4, 9); // 20 days on the wall clock, across the switch to summer time on 29 March
        await host.RunUntilAsync(pauseAt);
        var before = (await host.TasksAsync(started.CourseId)).ToDictionary(t => t.Id, t => (t.DueAt, t.Status, t.Kind));
        await host.Cti(s => s.PauseAsync(started.CourseId, PauseReason.Hospitalisation, CancellationToken.None));
        Assert.Equal(CourseStatus.Paused, (await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None))).Status);
        await host.RunUntilAsync(resumeAt);
        await host.Cti(s => s.ResumeAsync(started.CourseId, CancellationToken.None));

        var after = await host.TasksAsync(started.CourseId);
        foreach (var t in after.Where(t => before.ContainsKey(t.Id)))
        {
            var (due, _, _) = before[t.Id];
            var shifted = due >= pauseAt && t.Status == HumanTaskStatus.Open && t.Kind != CtiTaskKinds.Supervision;
            Assert.Equal(shifted ? Local(Wall(due!.Value).AddDays(20)) : due, t.DueAt);
        }

        // Supervision (for the workers) went on at its monthly dates during the pause and is not shifted.
        Assert.Equal([Local(2026, 3, 2), Local(2026, 4, 2)], after.Where(t => t.Kind == CtiTaskKinds.Supervision).Select(t => t.DueAt!.Value).ToList());

        Assert.Equal(
            [Local(2026, 4, 12), Local(2026, 4, 19), Local(2026, 4, 26)],
            after.Where(t => t.Kind == CtiTaskKinds.ContactMeeting && t.DueAt >= resumeAt).Select(t => t.DueAt!.Value).ToList());
        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(Local(2026, 5, 3), course.Schedule[CoursePeriod.Phase1].PlannedStart);

        // The contact period's end timer was re-timed: phase 1 starts on 3 May, not on 13 April.
        await host.RunUntilAsync(Local(2026, 5, 2));
        Assert.Equal(CoursePeriod.ContactPeriod, (await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None))).CurrentPeriod);
        await host.RunUntilAsync(Local(2026, 5, 3, 10));
        course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CoursePeriod.Phase1, course.CurrentPeriod);
        Assert.Equal(Local(2026, 5, 3), course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(Local(2026, 5, 3), (await host.TasksAsync(started.CourseId)).Single(t => t.Kind == CtiTaskKinds.BaselineEvaluation).DueAt);
    }

    [Fact]
    public Task Reassignment_MovesEveryOpenTaskOfTheWorker_AndLaterTasksGoToTheNewWorker() => ReassignmentAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task Reassignment_OnPostgres() => ReassignmentAsync(postgres: true);

    private async Task ReassignmentAsync(bool postgres)
    {
        var (host, started) = await StartAsync(postgres: postgres);
        await using var _ = host;
        await host.RunUntilAsync(Local(Start.AddDays(1)));
        var meeting = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.FirstContactMeeting);
        await host.CompleteTaskAsync(meeting.Id, CtiPhase.Held);
        await host.RunUntilAsync(Local(Start.AddDays(50)));
        await host.Cti(s => s.ReassignAsync(started.CourseId, "worker-bo", "Anna on leave", "manager-1", CancellationToken.None));

        var tasks = await host.TasksAsync(started.CourseId);
        var open = tasks.Where(t => t.Status == HumanTaskStatus.Open && t.Kind != CtiTaskKinds.Supervision).ToList();
        Assert.NotEmpty(open);
        Assert.All(open, t => Assert.Equal("worker-bo", t.Assignee));
        Assert.Equal(Worker, tasks.Single(t => t.Id == meeting.Id).Assignee); // history stays with who did it
        Assert.All(tasks.Where(t => t.Kind == CtiTaskKinds.Supervision), t => Assert.Null(t.Assignee));
        var details = await host.WithAsync(sp => sp.GetRequiredService<TaskQueries>().GetAsync(open[0].Id, CancellationToken.None));
        var move = Assert.Single(details!.Assignments);
        Assert.Equal((Worker, "worker-bo", "manager-1"), (move.From, move.To, move.By));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal("worker-bo", course.ResponsibleWorkerId.Value);
        Assert.Equal(2, course.Assignments.Count);

        await host.RunUntilAsync(Local(Start.AddDays(42).AddMonths(4)).AddHours(1));
        var phase2Tasks = (await host.TasksAsync(started.CourseId)).Where(t => t.CreatedAt >= Local(Start.AddDays(42).AddMonths(4)) && t.Kind != CtiTaskKinds.Supervision).ToList();
        Assert.NotEmpty(phase2Tasks);
        Assert.All(phase2Tasks, t => Assert.Equal("worker-bo", t.Assignee));
    }

    [Fact]
    public async Task SkippingAPhase_IsRefusedWithAClearError()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        var e = await Assert.ThrowsAsync<CtiRuleViolation>(() =>
            host.Cti(s => s.ClosePhaseAsync(started.CourseId, CoursePeriod.Phase1, CancellationToken.None)));
        Assert.Equal(CtiRules.PhasesInOrder, e.Rule);
        output.WriteLine(e.Message);
        Assert.Contains("none may be skipped", e.Message, StringComparison.Ordinal);
        Assert.Equal(CoursePeriod.ContactPeriod, (await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None))).CurrentPeriod);
    }

    [Fact]
    public async Task ADefinitionThatSkipsAPhase_FaultsWithThePhasesInOrderRule()
    {
        var skipping = JsonNode.Parse(CtiRuntimeHost.DefinitionJson())!.AsObject();
        skipping["id"] = "cti-skip-v1";
        skipping["definitionId"] = "cti-skip";
        skipping["name"] = "CTI course that skips phase 1";
        var connections = skipping["root"]!["connections"]!.AsArray();
        var toPhase1 = connections.First(c => c!["source"]!["activity"]!.GetValue<string>() == "contact1" && c["target"]!["activity"]!.GetValue<string>() == "phase1")!;
        toPhase1["target"]!["activity"] = "phase2";
        var (host, started) = await StartAsync(extra: skipping.ToJsonString(), definitionId: "cti-skip");
        await using var _ = host;

        var e = await Assert.ThrowsAsync<CtiWorkflowStateException>(() =>
            host.Cti(s => s.ClosePhaseAsync(started.CourseId, CoursePeriod.ContactPeriod, CancellationToken.None)));
        output.WriteLine(e.Message);
        Assert.Contains("Cannot start Phase2 while the course is in ContactPeriod", e.Message, StringComparison.Ordinal);
        Assert.Contains("none may be skipped", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissedMeeting_RaisesAFollowUpForTheWorker_AndChangesNothingElse()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        await host.RunUntilAsync(Local(Start.AddHours(3)));
        var first = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.FirstContactMeeting);
        var before = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        await host.CompleteTaskAsync(first.Id, CtiPhase.Missed);

        var tasks = await host.TasksAsync(started.CourseId);
        var followUp = Assert.Single(tasks, t => t.Kind == CtiTaskKinds.FollowUp);
        Assert.Equal(Local(Start.AddHours(3).AddDays(2)), followUp.DueAt);
        Assert.Equal(Worker, followUp.Assignee);
        Assert.Equal(HumanTaskStatus.Open, followUp.Status);
        var after = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Schedule.End, after.Schedule.End);

        // The follow-up is an ordinary task: completing it through the task service resumes the phase.
        await host.CompleteTaskAsync(followUp.Id, "Done");
        Assert.Equal(HumanTaskStatus.Completed, (await host.TasksAsync(started.CourseId)).Single(t => t.Id == followUp.Id).Status);
    }

    [Fact]
    public async Task SupervisionOfSeveralCourses_CanBeHeldAsOneGroupSession()
    {
        var (host, first) = await StartAsync();
        await using var _ = host;
        var citizen = await host.Cti(s => s.CreateCitizenAsync("Lea", null, CancellationToken.None));
        var second = await host.Cti(s => s.StartCourseAsync(citizen, "worker-bo", CourseGoal.Exit, null, 1m, CancellationToken.None));

        var sessions = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().SupervisionSessionsAsync(Local(Start), Local(Start.AddDays(1)), CancellationToken.None));
        var session = Assert.Single(sessions);
        Assert.Equal(Local(Start), session.DueAt);
        Assert.Equal("supervisor", session.Role);
        Assert.Equal(new[] { first.CourseId.ToString(), second.CourseId.ToString() }.Order(), session.CourseIds.Order());

        Assert.Equal(2, await host.Cti(s => s.HoldSupervisionSessionAsync(session.TaskIds, "supervisor-1", CancellationToken.None)));
        foreach (var id in new[] { first.CourseId, second.CourseId })
            Assert.Equal(HumanTaskStatus.Completed, (await host.TasksAsync(id)).Single(t => t.Kind == CtiTaskKinds.Supervision).Status);

        // The next month's sessions come on time and group again.
        await host.RunUntilAsync(Local(Start.AddMonths(1)));
        var next = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().SupervisionSessionsAsync(Local(Start.AddMonths(1)), Local(Start.AddMonths(1).AddDays(1)), CancellationToken.None));
        Assert.Equal(2, Assert.Single(next).TaskIds.Count);
    }

    [Fact]
    public async Task InvalidAnswersThroughTheGenericTaskApi_RaiseTheEvaluationAgain_InsteadOfFaultingTheCourse()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        await host.Cti(s => s.ClosePhaseAsync(started.CourseId, CoursePeriod.ContactPeriod, CancellationToken.None));
        var baseline = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.BaselineEvaluation);
        await host.CompleteTaskAsync(baseline.Id, ScheduleEvaluation.Recorded, JsonNode.Parse("""{"who5":[9,9,9,9,9]}"""));

        var again = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.BaselineEvaluation);
        Assert.NotEqual(baseline.Id, again.Id);
        Assert.Equal(baseline.DueAt, again.DueAt);
        Assert.Contains("cti.who5.item-range", again.Instructions, StringComparison.Ordinal);
        Assert.Empty(await host.EvaluationsAsync(started.CourseId));
        await host.Cti(s => s.RecordEvaluationAsync(started.CourseId, again.Id, Answers([5, 5, 5, 5, 5], "None", 8), "w", CancellationToken.None));
        Assert.Equal(100, Assert.Single(await host.EvaluationsAsync(started.CourseId)).Who5Score);
        Assert.Equal(CoursePeriod.Phase1, (await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None))).CurrentPeriod);
    }

    [Fact]
    public async Task Caseload_IsCheckedOnStartAndOnReassignment()
    {
        var (host, first) = await StartAsync(); // worker-anna has one course
        await using var _ = host;
        var citizen = await host.Cti(s => s.CreateCitizenAsync("Lea", null, CancellationToken.None));
        // 0.1 FTE allows two courses: anna's second is fine, a third is refused.
        await host.Cti(s => s.StartCourseAsync(citizen, Worker, CourseGoal.Exit, null, 0.1m, CancellationToken.None));
        var full = await Assert.ThrowsAsync<CtiRuleViolation>(() => host.Cti(s => s.StartCourseAsync(citizen, Worker, CourseGoal.Exit, null, 0.1m, CancellationToken.None)));
        Assert.Equal(CtiRules.CaseloadFull, full.Rule);

        var other = await host.Cti(s => s.StartCourseAsync(citizen, "worker-bo", CourseGoal.Exit, null, 1m, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<CtiRuleViolation>(() =>
            host.Cti(s => s.ReassignAsync(other.CourseId, Worker, null, null, CancellationToken.None, newWorkerFullTimeEquivalent: 0.1m)));
        Assert.Equal(CtiRules.CaseloadFull, refused.Rule);
        Assert.Equal("worker-bo", (await host.Cti(s => s.GetCourseAsync(other.CourseId, CancellationToken.None))).ResponsibleWorkerId.Value);
        Assert.NotEqual(first.CourseId, other.CourseId);
    }
}
