using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Testing;
using Xunit;

namespace Exit.Host.Tests.Runtime;

/// <summary>
/// A four-month delay through the real Host: EF store on a SQLite file, the real Quartz scheduler and its
/// persistent store, with only the clock injected. Months are calendar months in Europe/Copenhagen.
/// </summary>
public sealed class DelayAcrossDaylightSavingOnSqliteTests() : DelayAcrossDaylightSavingTests(new SqliteHostDatabase());

[RequiresPostgres]
public sealed class DelayAcrossDaylightSavingOnPostgresTests() : DelayAcrossDaylightSavingTests(new PostgresHostDatabase());

public abstract class DelayAcrossDaylightSavingTests(IHostDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await database.DisposeAsync();

    private const string Flow = """
        "activities": [
          { "id": "start", "type": "Elsa.Start", "version": 1 },
          { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "String", "expression": { "type": "Literal", "value": "P4M" } } },
          { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "four months later" } } },
          { "id": "end", "type": "Elsa.End", "version": 1 }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
          { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "say", "port": "In" } },
          { "source": { "activity": "say", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
        ]
        """;

    [DatabaseFact]
    public async Task Delay_P4MFromWinterIntoSummerTime_FiresAtSameCopenhagenHourOnCalendarDate()
    {
        // 15 January 2026 10:00 in Copenhagen (UTC+1). Four calendar months later is 15 May 10:00, which is UTC+2.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        var host = await database.CreateHostAsync(clock);
        var client = host.CreateClient();
        await WorkflowApi.ImportAsync(client, WorkflowApi.Definition("p4m-delay", Flow));
        var instanceId = await WorkflowApi.ExecuteAsync(client, "p4m-delay");

        var suspended = await WorkflowApi.WaitForSubStatusAsync(client, instanceId, "Suspended");
        var bookmark = suspended["workflowState"]!["bookmarks"]!.AsArray().Single()!;
        Assert.Equal(new DateTimeOffset(2026, 5, 15, 8, 0, 0, TimeSpan.Zero), bookmark["dueAt"]!.GetValue<DateTimeOffset>());

        // One second before: the scheduler must leave it alone.
        clock.SetUtcNow(new DateTimeOffset(2026, 5, 15, 7, 59, 59, TimeSpan.Zero));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("Suspended", (string?)(await WorkflowApi.InstanceAsync(client, instanceId))["subStatus"]);

        clock.SetUtcNow(new DateTimeOffset(2026, 5, 15, 8, 0, 0, TimeSpan.Zero));
        await WorkflowApi.WaitForSubStatusAsync(client, instanceId, "Finished");

        var journal = await WorkflowApi.JournalAsync(client, instanceId);
        var line = journal.Single(r => (string?)r!["activityId"] == "say" && (string?)r["eventName"] == "Completed")!;
        // The line's text is workflow data: the instance API withholds it (issue 14, one redaction for every instance answer).
        Assert.Equal(Exit.Host.Features.Elsa.Shared.ElsaRedaction.Withheld, (string?)line["activityState"]!["Text"]);
        var firedAt = line["timestamp"]!.GetValue<DateTimeOffset>();
        var copenhagen = TimeZoneInfo.ConvertTime(firedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen"));
        Assert.Equal(new DateTime(2026, 5, 15, 10, 0, 0), copenhagen.DateTime);
        Assert.Equal(TimeSpan.FromHours(2), copenhagen.Offset);
    }
}
