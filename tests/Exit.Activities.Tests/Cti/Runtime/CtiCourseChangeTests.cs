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
        await CtiCourseRuntimeTests.RunWholeCourseAsync(host, started.CourseId, Start, end);

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CourseStatus.Completed, course.Status);
        Assert.Equal(Local(phase1), course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(end, course.Schedule.End);
        Assert.Equal(9, (Wall(course.Schedule.End).Year - Wall(Local(phase1)).Year) * 12 + Wall(course.Schedule.End).Month - phase1.Month);
        var actual = Sorted((await host.TasksAsync(started.CourseId)).Select(t => new Expected(t.Kind!, t.DueAt!.Value, t.Assignee)));
        Assert.Equal(Format(StandardCourse(Start, 3)), Format(actual));
    }

    [Fact]
    public async Task DecidingEarly_StartsPhase1NowAndMovesEveryLaterDate()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        var decide = Local(Start.AddDays(10)); // Thursday 12 March 2026
        await host.RunUntilAsync(decide);
        await host.Cti(s => s.DecideAsync(started.CourseId, "Continue", Worker, CancellationToken.None));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CoursePeriod.Phase1, course.CurrentPeriod);
        Assert.Equal(decide, course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(Local(Start.AddDays(10).AddMonths(4)), course.Schedule[CoursePeriod.Phase2].PlannedStart); // was 13 Aug, now 12 Jul
        Assert.Equal(Local(Start.AddDays(10).AddMonths(12)), course.Schedule.End);

        var tasks = await host.TasksAsync(started.CourseId);
        Assert.Equal(decide, tasks.Single(t => t.Kind == CtiTaskKinds.BaselineEvaluation).DueAt);
        // Phase 1's one next-contact task: a week after its start; the contact period's ended with it.
        Assert.Equal(Local(2026, 3, 19), Assert.Single(tasks, t => t.Kind == CtiTaskKinds.NextContact && t.Status == HumanTaskStatus.Open).DueAt);
        Assert.Equal(HumanTaskStatus.Cancelled, tasks.Single(t => t.Kind == CtiTaskKinds.NextContact && t.DueAt == Local(2026, 3, 9)).Status);

        // Phase 2 now starts at the moved date (Sunday 12 July): its phase-change evaluation is due the next working day.
        var phase2 = Local(Start.AddDays(10).AddMonths(4));
        await host.RunUntilAsync(phase2.AddHours(1));
        var evaluation = (await host.TasksAsync(started.CourseId)).Single(t => t.Kind == CtiTaskKinds.PhaseChangeEvaluation);
        Assert.Equal(Local(2026, 7, 13), evaluation.DueAt);
    }

    [Fact]
    public Task PauseAndResume_ShiftOpenTasksAndThePhaseEndByThePausedWallClockTime() => PauseAndResumeAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task PauseAndResume_OnPostgres() => PauseAndResumeAsync(postgres: true);

    /// <summary>
    /// Rhythm re-planning across a pause and across the switch to summer time (29 March 2026): a phone call on Thursday
    /// 19 March 10:00 (winter time) plans the next contact for 26 March 10:00. The course is paused 20 March 09:00 to
    /// 9 April 09:00 (20 days on the wall clock, 19 days 23 hours of real time): the open next-contact task moves 20 days
    /// to Wednesday 15 April 10:00 summer time, the decision from the 13 April bound to Sunday 3 May → Monday 4 May.
    /// A correction of the call to 18 March re-plans from the corrected date: 25 March + the 20 paused days = 14 April.
    /// Nothing advances by itself: on 4 May the course is still in its contact period.
    /// </summary>
    private static async Task PauseAndResumeAsync(bool postgres)
    {
        var (host, started) = await StartAsync(postgres: postgres);
        await using var _ = host;
        var pauseAt = Local(2026, 3, 20);
        var resumeAt = Local(2026, 4, 9);
        await host.RunUntilAsync(Local(2026, 3, 19, 10));
        var call = await host.Cti(s => s.LogContactAsync(started.CourseId,
            new ContactInput("Phone", Local(2026, 3, 19, 10), 15, "Other", null, null, null, null), Worker, CancellationToken.None));
        Assert.Equal(Local(2026, 3, 26, 10), (await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact)).DueAt);

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
            var shifted = due >= pauseAt && t.Status == HumanTaskStatus.Open;
            Assert.Equal(shifted ? W(Wall(due!.Value).AddDays(20)) : due, t.DueAt);
        }

        // The course raises no supervision of its own (a series per SKP team holds it), paused or not.
        Assert.DoesNotContain(after, t => t.Kind == CtiTaskKinds.Supervision);
        Assert.Equal(Local(2026, 4, 15, 10), (await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact)).DueAt);
        Assert.Equal(Local(2026, 5, 4), (await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.Clarification)).DueAt);
        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(Local(2026, 5, 3), course.Schedule[CoursePeriod.Phase1].PlannedStart);

        // A correction of the call (it was on the 18th) re-plans from the corrected date, the paused days added.
        await host.RunUntilAsync(Local(2026, 4, 10));
        await host.Cti(s => s.LogContactAsync(started.CourseId,
            new ContactInput("Phone", Local(2026, 3, 18, 10), 15, "Other", null, null, null, "Rettet dato"), Worker, CancellationToken.None, call.ContactId));
        var open = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact);
        Assert.Equal(Local(2026, 4, 14, 10), open.DueAt);
        var replaced = (await host.TasksAsync(started.CourseId)).Single(t => t.Kind == CtiTaskKinds.NextContact && t.DueAt == Local(2026, 4, 15, 10));
        Assert.Equal(HumanTaskStatus.Cancelled, replaced.Status);
        Assert.Contains("rettet kontakt", replaced.DataJson, StringComparison.Ordinal);
        var revisions = await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().ContactsAsync(started.CourseId, CancellationToken.None));
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        Assert.Equal([Local(2026, 3, 19, 10), Local(2026, 3, 18, 10)], revisions.Select(r => r.StartedAt));

        // No timer ends the contact period: past its bound the decision is overdue and the course waits for it.
        await host.RunUntilAsync(Local(2026, 5, 4, 10));
        Assert.Equal(CoursePeriod.ContactPeriod, (await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None))).CurrentPeriod);
        await host.Cti(s => s.DecideAsync(started.CourseId, "Continue", Worker, CancellationToken.None));
        course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CoursePeriod.Phase1, course.CurrentPeriod);
        Assert.Equal(Local(2026, 5, 4, 10), course.Schedule[CoursePeriod.Phase1].EffectiveStart);
        Assert.Equal(Local(2026, 5, 4, 10), (await host.TasksAsync(started.CourseId)).Single(t => t.Kind == CtiTaskKinds.BaselineEvaluation).DueAt);
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
        var meeting = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact);
        await host.Cti(s => s.LogContactAsync(started.CourseId, new ContactInput("InPerson", Local(Start.AddDays(1)), 60, "Cafe", null, null, null, null), Worker, CancellationToken.None));
        await host.RunUntilAsync(Local(Start.AddDays(50)));
        await host.Cti(s => s.ReassignAsync(started.CourseId, "worker-bo", "Anna on leave", "manager-1", CancellationToken.None));

        var tasks = await host.TasksAsync(started.CourseId);
        var open = tasks.Where(t => t.Status == HumanTaskStatus.Open).ToList();
        Assert.NotEmpty(open);
        Assert.All(open, t => Assert.Equal("worker-bo", t.Assignee));
        Assert.Equal(Worker, tasks.Single(t => t.Id == meeting.Id).Assignee); // history stays with who did it
        var details = await host.WithAsync(sp => sp.GetRequiredService<TaskQueries>().GetAsync(open[0].Id, CancellationToken.None));
        var move = Assert.Single(details!.Assignments);
        Assert.Equal((Worker, "worker-bo", "manager-1"), (move.From, move.To, move.By));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal("worker-bo", course.ResponsibleWorkerId.Value);
        Assert.Equal(2, course.Assignments.Count);

        await host.Cti(s => s.DecideAsync(started.CourseId, "Continue", "worker-bo", CancellationToken.None));
        await host.RunUntilAsync(Local(Start.AddDays(50).AddMonths(4)).AddHours(1));
        var phase2Tasks = (await host.TasksAsync(started.CourseId)).Where(t => t.CreatedAt >= Local(Start.AddDays(50).AddMonths(4)) ).ToList();
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
            host.Cti(s => s.DecideAsync(started.CourseId, "Continue", Worker, CancellationToken.None)));
        output.WriteLine(e.Message);
        Assert.Contains("Cannot start Phase2 while the course is in ContactPeriod", e.Message, StringComparison.Ordinal);
        Assert.Contains("none may be skipped", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttemptOrCoordination_IsLogged_ButOnlyAContactWithTheCitizenKeepsTheRhythm()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        await host.RunUntilAsync(Local(Start.AddDays(3)));
        var open = await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact);
        var before = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        await host.Cti(s => s.LogContactAsync(started.CourseId, new ContactInput("Attempted", Local(Start.AddDays(3)), 5, "Other", null, null, null, "Ingen svar"), Worker, CancellationToken.None));
        await host.Cti(s => s.LogContactAsync(started.CourseId, new ContactInput("Coordination", Local(Start.AddDays(3)), 30, "Office", null, null, null, null), Worker, CancellationToken.None));

        // No sanctions and no re-planning: the same next-contact task stays open, the course is unchanged.
        Assert.Equal(open.Id, (await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact)).Id);
        var after = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Schedule.End, after.Schedule.End);

        // A video call with the citizen satisfies it and plans the next a week on.
        await host.Cti(s => s.LogContactAsync(started.CourseId, new ContactInput("Video", Local(Start.AddDays(3)), 30, "Other", null, null, null, null), Worker, CancellationToken.None));
        var tasks = await host.TasksAsync(started.CourseId);
        var satisfied = tasks.Single(t => t.Id == open.Id);
        Assert.Equal((HumanTaskStatus.Completed, "ContactLogged", Worker), (satisfied.Status, satisfied.Outcome, satisfied.CompletedBy));
        Assert.Equal(Local(Start.AddDays(10)), (await host.OpenTaskAsync(started.CourseId, CtiTaskKinds.NextContact)).DueAt);
        Assert.Equal(3, (await host.WithAsync(sp => sp.GetRequiredService<CtiQueries>().ContactsAsync(started.CourseId, CancellationToken.None))).Count);
    }

    [Fact]
    public async Task InvalidAnswersThroughTheGenericTaskApi_RaiseTheEvaluationAgain_InsteadOfFaultingTheCourse()
    {
        var (host, started) = await StartAsync();
        await using var _ = host;
        await host.Cti(s => s.DecideAsync(started.CourseId, "Continue", Worker, CancellationToken.None));
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
