using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Execution;
using Exit.Workflows.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Runtime;

/// <summary>
/// Many timers due at once through the real Host (SQLite file, real Quartz, manual clock): the first firing starts
/// the due-timer sweep, which resumes the rest while Quartz keeps firing its triggers. Every instance must resume
/// exactly once, and no timer bookmark or Quartz trigger may be left behind.
/// </summary>
public sealed class DueTimerSweepTests
{
    private const int Instances = 200;

    private const string Flow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "String", "expression": { "type": "Literal", "value": "PT1H" } } },
          { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "an hour later" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
          { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "say", "port": "In" } },
          { "source": { "activity": "say", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    [Fact]
    public async Task TimersDueAtOnce_SweepAndQuartzTogether_ResumeEachInstanceExactlyOnce()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var host = new ExitHostFactory(clock);
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, WorkflowApi.Definition("sweep-delay", Flow));

        await Parallel.ForEachAsync(Enumerable.Range(0, Instances), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<IWorkflowRuntime>().StartAsync(new StartWorkflowRequest("sweep-delay"), ct);
            Assert.Equal("Suspended", result.SubStatus.ToString());
        });
        Assert.Equal(Instances, await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_bookmarks WHERE due_at IS NOT NULL"));

        clock.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_instances WHERE status = 1") < Instances)
        {
            Assert.True(DateTime.UtcNow < deadline, "not every instance finished within 60 s");
            await Task.Delay(100);
        }

        // Exactly once: one resume and one WriteLine per instance, nothing resumed twice.
        Assert.Equal(Instances, await host.SqliteScalarAsync(
            "SELECT COUNT(*) FROM (SELECT instance_id FROM wf_journal WHERE activity_id = 'say' AND event_name = 'Completed' GROUP BY instance_id HAVING COUNT(*) = 1)"));
        Assert.Equal(Instances, await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_journal WHERE activity_id = 'say' AND event_name = 'Completed'"));
        Assert.Equal(Instances, await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_journal WHERE activity_id = 'wait' AND event_name = 'Completed'"));
        Assert.Equal(0, await host.SqliteScalarAsync("SELECT COUNT(*) FROM wf_bookmarks"));

        // Triggers of swept bookmarks are cancelled; one Quartz had already acquired fires into a no-op and goes too.
        // Timer triggers only: the scheduler also holds standing triggers of its own (the daily retention job).
        while (await host.SqliteScalarAsync("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'exit-timers'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Quartz triggers were left behind");
            await Task.Delay(100);
        }
    }
}
