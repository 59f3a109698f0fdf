using Exit.Activities.Cti.Domain;
using Exit.Activities.HumanTasks;
using Exit.Activities.Tests.Cti.Runtime;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Exit.Activities.Tests.Cti.Runtime.CtiSchedule;

namespace Exit.Activities.Tests.Tenancy;

/// <summary>
/// Two municipalities on one installation, each running the standard course it adopted from the template library,
/// through the real runtime, store and Quartz scheduler on an injected clock: each course raises its own tasks when
/// its own timers fall due, inside its own municipality, and neither municipality sees the other's tasks.
/// </summary>
public sealed class CtiCourseTenancyRuntimeTests
{
    private const string Aarhus = "aarhus";
    private static readonly DateTime AarhusStart = new(2026, 3, 2, 9, 0, 0); // Monday
    private static readonly DateTime DefaultStart = AarhusStart.AddDays(7);  // the Monday after

    [Fact]
    public Task CoursesInTwoMunicipalities_RaiseTheirOwnTasksOnTime_InTheirOwnScope() => RunAsync(postgres: false);

    [HumanTasks.PostgresFact]
    public Task CoursesInTwoMunicipalities_OnPostgres_RaiseTheirOwnTasksOnTime_InTheirOwnScope() => RunAsync(postgres: true);

    private static async Task RunAsync(bool postgres)
    {
        await using var host = await CtiRuntimeHost.StartAsync(Local(AarhusStart), postgres: postgres,
            configure: s => s.AddSingleton<ITenantDirectory>(new TwoMunicipalities()));

        var aarhusCourse = await StartCourseAsync(host, Aarhus, "Maja");
        await InScope(Aarhus, () => host.RunUntilAsync(Local(DefaultStart)));
        var defaultCourse = await StartCourseAsync(host, TenantIds.Default, "Sofie");

        // Each municipality's timers are found (and waited for) in its own scope; the scheduler resumes them all.
        var until = Local(DefaultStart.AddDays(43));
        await InScope(Aarhus, () => host.RunUntilAsync(until));
        await InScope(TenantIds.Default, () => host.RunUntilAsync(until));

        var aarhusTasks = await InScope(Aarhus, () => host.TasksAsync(aarhusCourse));
        var defaultTasks = await InScope(TenantIds.Default, () => host.TasksAsync(defaultCourse));
        // The contact period of each course: the first next-contact one week in, the decision at its 42-day bound.
        Assert.Equal(Local(AarhusStart.AddDays(7)), aarhusTasks.First(t => t.Kind == "cti.next-contact").DueAt);
        Assert.Equal(Local(AarhusStart.AddDays(42)), aarhusTasks.Single(t => t.Kind == "cti.clarification").DueAt);
        Assert.Equal(Local(DefaultStart.AddDays(7)), defaultTasks.First(t => t.Kind == "cti.next-contact").DueAt);
        Assert.Equal(Local(DefaultStart.AddDays(42)), defaultTasks.Single(t => t.Kind == "cti.clarification").DueAt);

        // Neither municipality sees the other's tasks, by course or in its open-task list.
        Assert.Empty(await InScope(Aarhus, () => host.TasksAsync(defaultCourse)));
        Assert.Empty(await InScope(TenantIds.Default, () => host.TasksAsync(aarhusCourse)));
        var aarhusOpen = await InScope(Aarhus, () => OpenTaskCorrelationsAsync(host));
        Assert.Contains(aarhusCourse.ToString(), aarhusOpen);
        Assert.DoesNotContain(defaultCourse.ToString(), aarhusOpen);

        // Every task row was written in its course's municipality (the timers ran inside the instance's tenant).
        await using var db = host.Services.GetRequiredService<TaskDbContextFactory>().Create();
        var rows = await db.Tasks.IgnoreQueryFilters().AsNoTracking().Select(t => new { t.CorrelationId, t.TenantId }).ToListAsync();
        Assert.Equal(aarhusTasks.Count + defaultTasks.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(r.CorrelationId == aarhusCourse.ToString() ? Aarhus : TenantIds.Default, r.TenantId));
    }

    private static async Task<Guid> StartCourseAsync(CtiRuntimeHost host, string municipality, string alias)
    {
        using var _ = TenantScope.Enter(municipality);
        var citizen = await host.Cti(s => s.CreateCitizenAsync(alias, null, CancellationToken.None));
        var started = await host.Cti(s => s.StartCourseAsync(citizen, "worker-anna", CourseGoal.Exit, null, 1m, CancellationToken.None));
        return started.CourseId;
    }

    private static async Task<List<string?>> OpenTaskCorrelationsAsync(CtiRuntimeHost host)
    {
        await using var db = host.Services.GetRequiredService<TaskDbContextFactory>().Create();
        return await db.Tasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Open).Select(t => t.CorrelationId).Distinct().ToListAsync();
    }

    private static async Task InScope(string municipality, Func<Task> action)
    {
        using var _ = TenantScope.Enter(municipality);
        await action();
    }

    private static async Task<T> InScope<T>(string municipality, Func<Task<T>> action)
    {
        using var _ = TenantScope.Enter(municipality);
        return await action();
    }

    private sealed class TwoMunicipalities : ITenantDirectory
    {
        public Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<TenantInfo>>([new(TenantIds.Default, "København"), new(Aarhus, "Aarhus")]);
    }
}
