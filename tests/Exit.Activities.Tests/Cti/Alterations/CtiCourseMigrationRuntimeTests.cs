using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Activities.Tests.Cti.Runtime;
using Exit.Workflows.Alterations;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Cti.Alterations;

/// <summary>
/// Fifty real CTI courses (workflow-definitions/cti-course.json, started through <see cref="CtiCourseService"/> as the app
/// starts them) on the injected clock, the real runtime, store and Quartz scheduler, sitting in different periods: contact
/// period, phase 1, phase 2 and phase 3 (in its handover), with open tasks and waiting timers. A coordinator saves a corrected
/// cti-course and publishes it as version 2: it adds a midway conversation after phase 1 and no longer has the handover
/// activity. The dry run names exactly the courses waiting in the handover; the migration moves every other course to
/// version 2 keeping each open task (id, assignee, due date), timer (due time), variable and its plan and timeline, and leaves
/// the handover courses on version 1 untouched. When the clock reaches the end of phase 1, v2's new step is raised for the
/// courses that were in phase 1, and for no other.
/// </summary>
public sealed class CtiCourseMigrationRuntimeTests
{
    private const string MidwayStep = "midway1";
    private const string RemovedStep = "handover1";
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0); // Monday, Copenhagen

    [Fact]
    public Task FiftyCourses_MigrateToV2_KeepTasksTimersVariablesAndPlan_OnSqlite() => RunAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task FiftyCourses_MigrateToV2_KeepTasksTimersVariablesAndPlan_OnPostgres() => RunAsync(postgres: true);

    private sealed record Group(string Name, DateTime StartedOn, int Count)
    {
        public List<(Guid Course, string Instance)> Courses { get; } = [];
    }

    private static async Task RunAsync(bool postgres)
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(Start), postgres: postgres);

        // Four cohorts: each decides to continue two weeks in, then runs on the clock. On 15 December 2026 the first is in
        // phase 3 (handover open), the second in phase 2, the third in phase 1, the fourth in its contact period.
        var phase3 = new Group("phase 3", Start, 10);
        var phase2 = new Group("phase 2", Start.AddMonths(4), 12);
        var phase1 = new Group("phase 1", Start.AddMonths(8), 14);
        var contact = new Group("contact period", new DateTime(2026, 12, 1, 9, 0, 0), 14);
        var groups = new[] { phase3, phase2, phase1, contact };
        var now = new DateTime(2026, 12, 15, 12, 0, 0);
        var n = 0;
        foreach (var group in groups)
        {
            await host.RunUntilAsync(Local(group.StartedOn));
            await RecordSomeEvaluationsAsync(host, groups);
            for (var i = 0; i < group.Count; i++, n++)
            {
                var citizen = await host.Cti(s => s.CreateCitizenAsync($"Borger {n}", null, CancellationToken.None));
                var started = await host.Cti(s => s.StartCourseAsync(citizen, $"worker-{n % 10}", CourseGoal.Exit, null, 1m, CancellationToken.None));
                group.Courses.Add((started.CourseId, started.InstanceId));
            }
            if (group == contact) continue;
            await host.RunUntilAsync(Local(group.StartedOn.AddDays(14)));
            foreach (var (course, _) in group.Courses)
                await host.Cti(s => s.DecideAsync(course, "Continue", "worker", CancellationToken.None));
        }
        await host.RunUntilAsync(Local(now.AddDays(-7)));
        await RecordSomeEvaluationsAsync(host, groups);
        await host.RunUntilAsync(Local(now));

        var all = groups.SelectMany(g => g.Courses).ToList();
        Assert.Equal(50, all.Count);
        foreach (var (group, period) in new[] { (phase3, CoursePeriod.Phase3), (phase2, CoursePeriod.Phase2), (phase1, CoursePeriod.Phase1), (contact, CoursePeriod.ContactPeriod) })
            foreach (var (course, _) in group.Courses)
                Assert.Equal(period, (await host.Cti(s => s.GetCourseAsync(course, CancellationToken.None))).CurrentPeriod);
        // Everyone has open tasks and waits on at least one timer; the phase-3 courses wait in the handover.
        var before = new Dictionary<Guid, Snapshot>();
        foreach (var (course, instance) in all) before[course] = await SnapshotAsync(host, course, instance);
        Assert.All(before.Values, s => Assert.NotEmpty(s.OpenTasks));
        foreach (var (course, _) in phase3.Courses.Concat(phase2.Courses).Concat(phase1.Courses))
            Assert.Contains("|due ", before[course].Bookmarks, StringComparison.Ordinal);
        foreach (var (course, _) in phase3.Courses)
            Assert.Contains(await host.TasksAsync(course), t => t.ActivityId == RemovedStep && t.Status == HumanTaskStatus.Open);
        Assert.Contains(before.Values, s => s.OpenTasks.Contains("cti.evaluation.", StringComparison.Ordinal));

        // The coordinator's correction: saved as a draft, then published as version 2.
        var target = await host.WithAsync(async sp =>
        {
            var v1 = await sp.GetRequiredService<IWorkflowDefinitionStore>().FindAsync("cti-course", VersionOptions.Published, CancellationToken.None);
            var publisher = sp.GetRequiredService<DefinitionPublisher>();
            await publisher.SaveAsync(Corrected(v1!.Json.DeepClone().AsObject()), publish: false, CancellationToken.None);
            return (await publisher.PublishAsync("cti-course", CancellationToken.None)).Version;
        });
        Assert.Equal(2, target);
        IReadOnlyList<Alteration> migrate = [new MigrateAlteration(target)];

        // The dry run over every running cti-course names exactly the handover courses, and stores nothing.
        var dry = await host.WithAsync(async sp =>
        {
            var ids = await sp.GetRequiredService<AlterationInstanceSelector>().SelectAsync(
                AlterationInstanceFilter.Empty with { DefinitionIds = ["cti-course"] }, CancellationToken.None);
            var runner = sp.GetRequiredService<WorkflowAlterationRunner>();
            var outcomes = new List<AlterationOutcome>();
            foreach (var id in ids) outcomes.Add(await runner.DryRunAsync(id, migrate, CancellationToken.None));
            return outcomes;
        });
        Assert.Equal(all.Select(c => c.Instance).Order(), dry.Select(o => o.InstanceId).Order());
        var refused = dry.Where(o => !o.Succeeded).ToList();
        Assert.Equal(phase3.Courses.Select(c => c.Instance).Order(), refused.Select(o => o.InstanceId).Order());
        Assert.All(refused, o => Assert.Contains(o.Problems, p => p.Code == AlterationProblem.ActivityMissingInTarget && p.ActivityId == RemovedStep));
        foreach (var (course, instance) in all) Assert.Equal(before[course], await SnapshotAsync(host, course, instance));

        // The migration of all fifty: each course all or nothing.
        var applied = await host.WithAsync(async sp =>
        {
            var runner = sp.GetRequiredService<WorkflowAlterationRunner>();
            var outcomes = new List<AlterationOutcome>();
            foreach (var (_, instance) in all) outcomes.Add(await runner.ApplyAsync(instance, migrate, "coordinator-1", CancellationToken.None));
            return outcomes;
        });
        Assert.Equal(phase3.Courses.Select(c => c.Instance).Order(), applied.Where(o => !o.Succeeded).Select(o => o.InstanceId).Order());
        foreach (var (course, instance) in all)
        {
            var after = await SnapshotAsync(host, course, instance);
            var movedOn = !phase3.Courses.Contains((course, instance));
            Assert.Equal(movedOn ? 2 : 1, after.Version);
            Assert.Equal(before[course].OpenTasks, after.OpenTasks);
            Assert.Equal(before[course].Bookmarks, after.Bookmarks);
            Assert.Equal(before[course].Variables, after.Variables);
            Assert.Equal(before[course].Timeline, after.Timeline);
            // A refused course is not touched at all: not even its instance row's concurrency version moved.
            if (!movedOn) Assert.Equal(before[course], after);
        }

        // On to 20 April 2027: phase 1 of the third cohort has ended, and v2's midway conversation is raised for
        // exactly those courses, when their phase 2 starts; the others have passed (or not reached) that point.
        await host.RunUntilAsync(Local(2027, 4, 20));
        foreach (var group in groups)
            foreach (var (course, _) in group.Courses)
            {
                var midway = (await host.TasksAsync(course)).Where(t => t.ActivityId == MidwayStep).ToList();
                if (group != phase1)
                {
                    Assert.Empty(midway);
                    continue;
                }
                var task = Assert.Single(midway);
                Assert.Equal(HumanTaskStatus.Open, task.Status);
                Assert.Equal("Midtvejssamtale", task.Title);
                var period = (await host.Cti(s => s.GetCourseAsync(course, CancellationToken.None))).CurrentPeriod;
                Assert.Equal(CoursePeriod.Phase2, period);
            }
    }

    /// <summary>Version 2 as a coordinator corrects it in Studio: a midway conversation after phase 1; no handover activity.</summary>
    private static JsonObject Corrected(JsonObject definition)
    {
        definition["description"] = "Rettet: midtvejssamtale efter fase 1; overdragelsen håndteres uden for forløbet.";
        definition["isPublished"] = false;
        var flowchart = definition["root"]!.AsObject();
        var activities = flowchart["activities"]!.AsArray();
        var handover = activities.Single(a => (string?)a!["id"] == RemovedStep)!;
        activities.Remove(handover);
        activities.Add(JsonNode.Parse($$"""
            { "id": "{{MidwayStep}}", "type": "Exit.HumanTask", "version": 1,
              "role": { "typeName": "String", "expression": { "type": "Literal", "value": "worker" } },
              "title": { "typeName": "String", "expression": { "type": "Literal", "value": "Midtvejssamtale" } } }
            """));
        var connections = flowchart["connections"]!.AsArray();
        foreach (var c in connections.Where(c => (string?)c!["target"]!["activity"] == RemovedStep || (string?)c!["source"]!["activity"] == RemovedStep).ToList())
            connections.Remove(c);
        connections.Add(JsonNode.Parse($$"""
            { "source": { "activity": "phase1", "port": "Done" }, "target": { "activity": "{{MidwayStep}}", "port": "In" } }
            """));
        return definition;
    }

    /// <summary>What a migration must keep, per course, and the instance's version and concurrency version.</summary>
    private sealed record Snapshot(int Version, long ConcurrencyVersion, string OpenTasks, string Bookmarks, string Variables, string Timeline);

    private static async Task<Snapshot> SnapshotAsync(CtiRuntimeHost host, Guid course, string instanceId)
    {
        var store = host.Services.GetRequiredService<IWorkflowInstanceStore>();
        var instance = (await store.FindAsync(instanceId, CancellationToken.None))!;
        var tasks = (await host.TasksAsync(course)).Where(t => t.Status == HumanTaskStatus.Open)
            .Select(t => $"{t.Id}|{t.Kind}|{t.ActivityId}|{t.Title}|{t.Assignee}|{t.Role}|{t.DueAt:O}|{t.BookmarkId}").Order(StringComparer.Ordinal);
        var bookmarks = (await store.FindBookmarksAsync(new BookmarkFilter(InstanceId: instanceId), CancellationToken.None))
            .Select(b => $"{b.Id}|{b.Kind}|{b.Key}" + (b.DueAt is { } due ? $"|due {due:O}" : "")).Order(StringComparer.Ordinal);
        var variables = new JsonObject(instance.Variables.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => KeyValuePair.Create(v.Key, v.Value?.DeepClone()))).ToJsonString();
        var timeline = await host.WithAsync(async sp => JsonSerializer.Serialize(await sp.GetRequiredService<CtiQueries>().TimelineAsync(course, CancellationToken.None)));
        return new Snapshot(instance.DefinitionVersion, instance.ConcurrencyVersion, string.Join("\n", tasks), string.Join("\n", bookmarks), variables, timeline);
    }

    /// <summary>Evaluations are recorded for even-numbered courses as they come up; the others' stay open (open tasks of their own).</summary>
    private static async Task RecordSomeEvaluationsAsync(CtiRuntimeHost host, IEnumerable<Group> groups)
    {
        var even = groups.SelectMany(g => g.Courses).Where((_, i) => i % 2 == 0);
        foreach (var (course, _) in even)
            await CtiCourseRuntimeTests.RecordOpenEvaluationsAsync(host, course);
    }
}
