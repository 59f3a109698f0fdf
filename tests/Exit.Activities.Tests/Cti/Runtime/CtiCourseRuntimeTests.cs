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

    [Fact]
    public async Task StandardCourse_FromStartToEndOfPhase3_RaisesExactlyTheExpectedTasks()
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(Start));
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
        Assert.Equal(6 + 18 + 9 + 4, expected.Count(e => e.Kind.StartsWith("cti.contact-meeting", StringComparison.Ordinal)));
        Assert.Equal(14, expected.Count(e => e.Kind == "cti.supervision"));
        Assert.All(tasks.Where(t => t.Kind == "cti.supervision"), t => Assert.Equal("cti-supervisor", t.Role));

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
