using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Demo;

/// <summary>
/// With the run command's --demo option, an empty database gets a few running instances of the example
/// definition and three CTI courses for anonymous demo citizens (aliases only) on the demo workers' caseloads,
/// so the task lists, pages and Studio's instance views have something to show on first run.
/// Never runs unless asked, and never adds to a database that already has instances.
/// </summary>
public sealed partial class DemoDataSeeder(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<DemoDataSeeder> logger) : IHostedService
{
    private static readonly string[] DemoCorrelationIds = ["demo-1", "demo-2", "demo-3"];

    private static readonly (string Alias, string Worker, CourseGoal Goal)[] DemoCourses =
    [
        ("Demo A", "medarbejder1@exit.demo", CourseGoal.Exit),
        ("Demo B", "medarbejder1@exit.demo", CourseGoal.ImproveLifeSituation),
        ("Demo C", "medarbejder2@exit.demo", CourseGoal.Exit),
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After start-up, so migrations and the definitions folder import have run.
        lifetime.ApplicationStarted.Register(() => _ = SeedAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var instances = scope.ServiceProvider.GetRequiredService<IWorkflowInstanceStore>();
            if ((await instances.ListAsync(new InstanceFilter(PageSize: 1), ct)).TotalCount > 0) return;

            var runtime = scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>();
            foreach (var correlationId in DemoCorrelationIds)
                await runtime.StartAsync(new StartWorkflowRequest("task-then-timer", CorrelationId: correlationId), ct);

            var courses = scope.ServiceProvider.GetRequiredService<CtiCourseService>();
            foreach (var (alias, worker, goal) in DemoCourses)
            {
                var citizen = await courses.CreateCitizenAsync(alias, cpr: null, ct);
                await courses.StartCourseAsync(citizen, worker, goal, definitionId: null, workerFullTimeEquivalent: 1m, ct);
            }

            LogSeeded(DemoCorrelationIds.Length, DemoCourses.Length);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: started {Count} example instances and {Courses} CTI courses")]
    private partial void LogSeeded(int count, int courses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data could not be created")]
    private partial void LogFailed(Exception exception);
}
