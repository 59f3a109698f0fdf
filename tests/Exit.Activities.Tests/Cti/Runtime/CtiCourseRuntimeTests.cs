using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Cti.Runtime;

/// <summary>
/// Whole CTI courses through the real runtime, EF store and Quartz scheduler, on an injected clock, using
/// workflow-definitions/cti-course.json as published from the definitions folder.
/// </summary>
public sealed class CtiCourseRuntimeTests(ITestOutputHelper output)
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0); // a Monday, 09:00 Copenhagen (winter time)

    /// <summary>
    /// The standard course started Monday 2 March 2026 09:00 (Copenhagen), with the contact rhythm, written out: kind,
    /// due (Copenhagen wall clock), assignee. Instead of ~60 pre-generated meetings each period holds ONE next-contact
    /// task, one rhythm interval after its start (weekly, weekly, fortnightly, monthly); the worker logs one phone call
    /// on Tuesday 1 September 10:00 in phase 2, which satisfies the open next-contact task (27 August, overdue by then)
    /// and plans the next for 15 September 10:00. The contact period ends with the decision (Afklaring, due at its
    /// 42-day bound, 13 April), answered "continue" on the day; then phase 1 to 13 August, phase 2 to 13 December,
    /// phase 3 to 13 April 2027. Due dates that fall on a Saturday, Sunday or Danish holiday move to the next working
    /// day: phase 3 starts on
    /// Sunday 13 December, so its evaluation is due Monday 14 December; the network meetings (Sundays 27 December and
    /// 10 January) move to Mondays, and so does phase 3's plan review (its focus areas, two weeks in: Monday 28 December); the handover agreement (Saturday 13 March 2027) to Monday 15 March.
    /// </summary>
    private const string WrittenOutSchedule = """
        cti.next-contact                 2026-03-09 09:00 worker-anna
        cti.clarification                2026-04-13 09:00 worker-anna
        cti.evaluation.baseline          2026-04-13 09:00 worker-anna
        cti.next-contact                 2026-04-20 09:00 worker-anna
        cti.activity-plan.draft          2026-05-11 09:00 worker-anna
        cti.evaluation.phase-change      2026-08-13 09:00 worker-anna
        cti.phase-review                 2026-08-13 09:00 worker-anna
        cti.next-contact                 2026-08-27 09:00 worker-anna
        cti.next-contact                 2026-09-15 10:00 worker-anna
        cti.evaluation.phase-change      2026-12-14 09:00 worker-anna
        cti.handover.network-meeting     2026-12-28 09:00 worker-anna
        cti.phase-review                 2026-12-28 09:00 worker-anna
        cti.handover.network-meeting     2027-01-11 09:00 worker-anna
        cti.next-contact                 2027-01-13 09:00 worker-anna
        cti.handover.long-term-plan      2027-03-15 09:00 worker-anna
        cti.handover.network-agreement   2027-03-15 09:00 worker-anna
        cti.evaluation.final             2027-04-13 09:00 worker-anna
        cti.handover.closing-meeting     2027-04-13 09:00 worker-anna
        """;

    private static readonly DateTime PhoneCall = new(2026, 9, 1, 10, 0, 0);

    [Fact]
    public Task StandardCourse_FromStartToEndOfPhase3_RaisesExactlyTheExpectedTasks() => RunStandardCourseAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task StandardCourse_OnPostgres_RaisesExactlyTheExpectedTasks() => RunStandardCourseAsync(postgres: true);

    private async Task RunStandardCourseAsync(bool postgres)
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(Start), postgres: postgres);
        var citizen = await host.Cti(s => s.CreateCitizenAsync("Maja", null, CancellationToken.None));
        var started = await host.Cti(s => s.StartCourseAsync(citizen, Worker, CourseGoal.Exit, null, 1m, CancellationToken.None));

        var end = Local(Start.AddDays(42).AddMonths(12));
        await RunWholeCourseAsync(host, started.CourseId, Start, end, PhoneCall);

        var tasks = await host.TasksAsync(started.CourseId);
        var actual = Sorted(tasks.Select(t => new Expected(t.Kind!, t.DueAt!.Value, t.Assignee))).ToList();
        var expected = StandardCourse(Start, 4, PhoneCall);
        output.WriteLine($"{actual.Count} tasks raised:\n{Format(actual)}");
        Assert.Equal(Format(expected), Format(actual));
        Assert.Equal(WrittenOutSchedule.Split('\n').Select(l => l.TrimEnd()), Format(actual).Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal(18, tasks.Count);
        // Supervision is a series per SKP team, not raised by the course (it raised 14 per-course sessions before).
        Assert.DoesNotContain(tasks, t => t.Kind == "cti.supervision");
        // The phone call satisfied the open next-contact task; the others ended with their period.
        var nextContacts = tasks.Where(t => t.Kind == "cti.next-contact").OrderBy(t => t.DueOrder).ToList();
        Assert.Equal([HumanTaskStatus.Cancelled, HumanTaskStatus.Cancelled, HumanTaskStatus.Completed, HumanTaskStatus.Cancelled, HumanTaskStatus.Cancelled],
            nextContacts.Select(t => t.Status));
        Assert.Equal("ContactLogged", nextContacts[2].Outcome);
        Assert.Equal("Continue", tasks.Single(t => t.Kind == "cti.clarification").Outcome);

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CourseStatus.Completed, course.Status);
        Assert.Equal(CourseOutcome.Completed, course.Outcome);
        Assert.Equal(end, course.Schedule.End);
        var evaluations = await host.EvaluationsAsync(started.CourseId);
        Assert.Equal(["Baseline", "PhaseChange", "PhaseChange", "Final"], evaluations.Select(e => e.Kind));
        Assert.All(evaluations, e => Assert.Equal((3 + 2 + 4 + 1 + 2) * 4, e.Who5Score));
        // The course's end cancelled what was still open; nothing is left open.
        Assert.DoesNotContain(await host.TasksAsync(started.CourseId), t => t.Status == HumanTaskStatus.Open);
        var instance = await host.Services.GetRequiredService<IWorkflowInstanceStore>().FindAsync(started.InstanceId, CancellationToken.None);
        Assert.Equal(WorkflowStatus.Finished, instance!.Status);
        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
    }

    /// <summary>
    /// Runs a course from its start to <paramref name="end"/>: the decision "continue" at the contact period's 42-day
    /// bound, evaluations recorded as they come up, and optionally one phone call with the citizen.
    /// </summary>
    internal static async Task RunWholeCourseAsync(CtiRuntimeHost host, Guid courseId, DateTime start, DateTimeOffset end, DateTime? phoneCall = null)
    {
        await host.RunUntilAsync(Local(start.AddDays(42)));
        await host.Cti(s => s.DecideAsync(courseId, "Continue", Worker, CancellationToken.None));
        if (phoneCall is { } call)
        {
            await host.RunUntilAsync(Local(call), () => RecordOpenEvaluationsAsync(host, courseId));
            await RecordOpenEvaluationsAsync(host, courseId);
            await host.Cti(s => s.LogContactAsync(courseId, new ContactInput("Phone", Local(call), 20, "Other", null, null, ["Housing"], "Talte om boligansøgningen."),
                Worker, CancellationToken.None));
        }

        await host.RunUntilAsync(end.AddDays(1), () => RecordOpenEvaluationsAsync(host, courseId));
        await RecordOpenEvaluationsAsync(host, courseId);
    }

    internal static async Task RecordOpenEvaluationsAsync(CtiRuntimeHost host, Guid courseId)
    {
        foreach (var task in (await host.TasksAsync(courseId)).Where(t => t.Status == HumanTaskStatus.Open && t.Kind!.StartsWith("cti.evaluation.", StringComparison.Ordinal)))
        {
            var answers = Answers([3, 2, 4, 1, 2], "None", 6);
            await host.Cti(s => s.RecordEvaluationAsync(courseId, task.Id, answers, "worker-anna", CancellationToken.None));
        }
    }
}
