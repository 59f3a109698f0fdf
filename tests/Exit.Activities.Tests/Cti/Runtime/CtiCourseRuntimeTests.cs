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
    /// The standard course started Monday 2 March 2026 09:00 (Copenhagen), written out: kind, due (Copenhagen wall
    /// clock), assignee. Contact period to 13 April (42 days, weekly), phase 1 to 13 August (weekly), phase 2 to
    /// 13 December (every two weeks), phase 3 to 13 April 2027 (monthly); monthly supervision from the start;
    /// handover agreement one month before the end; phase 3's plan review (its focus areas) two weeks in. Every date stays at 09:00 across the DST changes.
    /// </summary>
    private const string WrittenOutSchedule = """
        cti.contact-meeting.first        2026-03-02 09:00 worker-anna
        cti.supervision                  2026-03-02 09:00 (supervisor role)
        cti.contact-meeting              2026-03-09 09:00 worker-anna
        cti.contact-meeting              2026-03-16 09:00 worker-anna
        cti.contact-meeting              2026-03-23 09:00 worker-anna
        cti.contact-meeting              2026-03-30 09:00 worker-anna
        cti.supervision                  2026-04-02 09:00 (supervisor role)
        cti.contact-meeting              2026-04-06 09:00 worker-anna
        cti.contact-meeting              2026-04-13 09:00 worker-anna
        cti.evaluation.baseline          2026-04-13 09:00 worker-anna
        cti.contact-meeting              2026-04-20 09:00 worker-anna
        cti.contact-meeting              2026-04-27 09:00 worker-anna
        cti.supervision                  2026-05-02 09:00 (supervisor role)
        cti.contact-meeting              2026-05-04 09:00 worker-anna
        cti.activity-plan.draft          2026-05-11 09:00 worker-anna
        cti.contact-meeting              2026-05-11 09:00 worker-anna
        cti.contact-meeting              2026-05-18 09:00 worker-anna
        cti.contact-meeting              2026-05-25 09:00 worker-anna
        cti.contact-meeting              2026-06-01 09:00 worker-anna
        cti.supervision                  2026-06-02 09:00 (supervisor role)
        cti.contact-meeting              2026-06-08 09:00 worker-anna
        cti.contact-meeting              2026-06-15 09:00 worker-anna
        cti.contact-meeting              2026-06-22 09:00 worker-anna
        cti.contact-meeting              2026-06-29 09:00 worker-anna
        cti.supervision                  2026-07-02 09:00 (supervisor role)
        cti.contact-meeting              2026-07-06 09:00 worker-anna
        cti.contact-meeting              2026-07-13 09:00 worker-anna
        cti.contact-meeting              2026-07-20 09:00 worker-anna
        cti.contact-meeting              2026-07-27 09:00 worker-anna
        cti.supervision                  2026-08-02 09:00 (supervisor role)
        cti.contact-meeting              2026-08-03 09:00 worker-anna
        cti.contact-meeting              2026-08-10 09:00 worker-anna
        cti.contact-meeting              2026-08-13 09:00 worker-anna
        cti.evaluation.phase-change      2026-08-13 09:00 worker-anna
        cti.phase-review                 2026-08-13 09:00 worker-anna
        cti.contact-meeting              2026-08-27 09:00 worker-anna
        cti.supervision                  2026-09-02 09:00 (supervisor role)
        cti.contact-meeting              2026-09-10 09:00 worker-anna
        cti.contact-meeting              2026-09-24 09:00 worker-anna
        cti.supervision                  2026-10-02 09:00 (supervisor role)
        cti.contact-meeting              2026-10-08 09:00 worker-anna
        cti.contact-meeting              2026-10-22 09:00 worker-anna
        cti.supervision                  2026-11-02 09:00 (supervisor role)
        cti.contact-meeting              2026-11-05 09:00 worker-anna
        cti.contact-meeting              2026-11-19 09:00 worker-anna
        cti.supervision                  2026-12-02 09:00 (supervisor role)
        cti.contact-meeting              2026-12-03 09:00 worker-anna
        cti.contact-meeting              2026-12-13 09:00 worker-anna
        cti.evaluation.phase-change      2026-12-13 09:00 worker-anna
        cti.handover.network-meeting     2026-12-27 09:00 worker-anna
        cti.phase-review                 2026-12-27 09:00 worker-anna
        cti.supervision                  2027-01-02 09:00 (supervisor role)
        cti.handover.network-meeting     2027-01-10 09:00 worker-anna
        cti.contact-meeting              2027-01-13 09:00 worker-anna
        cti.supervision                  2027-02-02 09:00 (supervisor role)
        cti.contact-meeting              2027-02-13 09:00 worker-anna
        cti.supervision                  2027-03-02 09:00 (supervisor role)
        cti.contact-meeting              2027-03-13 09:00 worker-anna
        cti.handover.long-term-plan      2027-03-13 09:00 worker-anna
        cti.handover.network-agreement   2027-03-13 09:00 worker-anna
        cti.supervision                  2027-04-02 09:00 (supervisor role)
        cti.evaluation.final             2027-04-13 09:00 worker-anna
        cti.handover.closing-meeting     2027-04-13 09:00 worker-anna
        """;

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
        await host.RunUntilAsync(end.AddDays(1), () => RecordOpenEvaluationsAsync(host, started.CourseId));
        await RecordOpenEvaluationsAsync(host, started.CourseId);

        var tasks = await host.TasksAsync(started.CourseId);
        var actual = Sorted(tasks.Select(t => new Expected(t.Kind!, t.DueAt!.Value, t.Assignee))).ToList();
        var expected = StandardCourse(Start, 4);
        output.WriteLine($"{actual.Count} tasks raised:\n{Format(actual)}");
        Assert.Equal(Format(expected), Format(actual));
        Assert.Equal(WrittenOutSchedule.Split('\n').Select(l => l.TrimEnd()), Format(actual).Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal(6 + 18 + 9 + 4, expected.Count(e => e.Kind.StartsWith("cti.contact-meeting", StringComparison.Ordinal)));
        Assert.Equal(14, expected.Count(e => e.Kind == "cti.supervision"));
        Assert.All(tasks.Where(t => t.Kind == "cti.supervision"), t => Assert.Equal("supervisor", t.Role));

        var course = await host.Cti(s => s.GetCourseAsync(started.CourseId, CancellationToken.None));
        Assert.Equal(CourseStatus.Completed, course.Status);
        Assert.Equal(end, course.Schedule.End);
        var evaluations = await host.EvaluationsAsync(started.CourseId);
        Assert.Equal(["Baseline", "PhaseChange", "PhaseChange", "Final"], evaluations.Select(e => e.Kind));
        Assert.All(evaluations, e => Assert.Equal((3 + 2 + 4 + 1 + 2) * 4, e.Who5Score));
        // The course's end cancelled what was still open (supervision sessions not yet held); nothing is left open.
        Assert.DoesNotContain(await host.TasksAsync(started.CourseId), t => t.Status == HumanTaskStatus.Open);
        var instance = await host.Services.GetRequiredService<IWorkflowInstanceStore>().FindAsync(started.InstanceId, CancellationToken.None);
        Assert.Equal(WorkflowStatus.Finished, instance!.Status);
        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
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
