using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Execution.InMemory;
using Exit.Workflows.Persistence;
using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.State;
using Exit.Workflows.Testing;
using Exit.Workflows.Tests.Execution;
using Exit.Workflows.Tests.Timers.Quartz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Exit.Workflows.Tests.Timers;

/// <summary>
/// The runtime with the real durable timers (AddExitTimers: Quartz on a SQLite file) and a manual clock:
/// a committed Delay bookmark becomes a trigger; advancing the clock fires it, and the job resumes the instance.
/// </summary>
public sealed class DurableTimerTests
{
    [Fact]
    public async Task Delay_WithDurableTimers_ResumesWhenTheClockPassesTheDueTime()
    {
        using var db = new TimerTestDatabase();
        var clock = new ManualTimeProvider();
        var instances = new InMemoryInstanceStore();
        var definitions = new InMemoryDefinitionStore();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, Lifetime>();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IWorkflowInstanceStore>(instances);
        services.AddSingleton<IWorkflowDefinitionStore>(definitions);
        services.AddWorkflowRuntime();
        services.AddExitTimers(new SchedulingOptions { SchedulerName = db.SchedulerName }, "Sqlite", db.ConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var h in hosted) await h.StartAsync(CancellationToken.None);
        try
        {
            var registry = provider.GetRequiredService<ActivityRegistry>();
            var publisher = new DefinitionPublisher(definitions, new DefinitionValidator(registry), registry, new CountingIdGenerator(), clock);
            await publisher.ImportAsync("""
                {
                  "definitionId": "timed", "id": "timed-v1", "name": "timed",
                  "root": { "id": "Flowchart1", "type": "Elsa.Flowchart",
                    "activities": [
                      { "id": "Start1", "type": "Elsa.Start" },
                      { "id": "D", "type": "Elsa.Delay", "timeSpan": "P1D" },
                      { "id": "W", "type": "Elsa.WriteLine", "text": "next day" }
                    ],
                    "connections": [ { "source": "Start1", "target": "D" }, { "source": "D", "target": "W" } ] }
                }
                """);

            WorkflowRunResult started;
            using (var scope = provider.CreateScope())
                started = await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest("timed"), CancellationToken.None);
            Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);

            clock.Advance(TimeSpan.FromDays(1));

            await TimerTestHost.EventuallyAsync(
                async () => (await instances.FindAsync(started.InstanceId, CancellationToken.None))!.Status == WorkflowStatus.Finished,
                "the delayed instance finishes");
            var journal = (await instances.GetJournalAsync(started.InstanceId, 0, 100, CancellationToken.None)).Items;
            Assert.Contains(journal, r => r.ActivityId == "W" && r.EventName == JournalEvents.Completed);
        }
        finally
        {
            for (var i = hosted.Count - 1; i >= 0; i--) await hosted[i].StopAsync(CancellationToken.None);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
