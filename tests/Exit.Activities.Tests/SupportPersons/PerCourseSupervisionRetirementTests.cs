using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.HumanTasks;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Testing;
using Exit.Workflows.Testing;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Tests.SupportPersons;

/// <summary>
/// The start-up step that retires per-course supervision: open <c>cti.supervision</c> tasks of existing courses are cancelled
/// with a note saying supervision is now a series per team; held ones and every other task are left alone; running it
/// again changes nothing.
/// </summary>
public abstract class PerCourseSupervisionRetirementTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task OpenPerCourseSupervisionTasks_AreCancelledWithANote_OthersUntouched()
    {
        await using var database = await CreateDatabaseAsync();
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        await using (var db = tasks.Create())
        {
            await db.Database.MigrateAsync();
            db.Tasks.AddRange(
                Task("open-supervision", CtiTaskKinds.Supervision, HumanTaskStatus.Open),
                Task("held-supervision", CtiTaskKinds.Supervision, HumanTaskStatus.Completed),
                Task("next-contact", CtiTaskKinds.NextContact, HumanTaskStatus.Open));
            await db.SaveChangesAsync();
        }

        var clock = new ManualTimeProvider();
        Assert.Equal(1, await PerCourseSupervisionRetirement.RetireAsync(tasks, clock, CancellationToken.None));
        Assert.Equal(0, await PerCourseSupervisionRetirement.RetireAsync(tasks, clock, CancellationToken.None));

        await using (var db = tasks.Create())
        {
            var rows = await db.Tasks.AsNoTracking().ToDictionaryAsync(t => t.Id);
            Assert.Equal(HumanTaskStatus.Cancelled, rows["open-supervision"].Status);
            Assert.Equal(clock.GetUtcNow(), rows["open-supervision"].CancelledAt);
            Assert.Equal(RaiseSupervision.RetiredReason, (string?)JsonNode.Parse(rows["open-supervision"].DataJson!)!["cancellationReason"]);
            Assert.Equal(HumanTaskStatus.Completed, rows["held-supervision"].Status);
            Assert.Equal(HumanTaskStatus.Open, rows["next-contact"].Status);
        }
    }

    private static TaskRecord Task(string id, string kind, HumanTaskStatus status) => new()
    {
        Id = id, Title = kind, Kind = kind, InstanceId = "instance-" + id, ActivityInstanceId = "a-" + id, ActivityId = "act", BookmarkKey = "b-" + id,
        AllowedOutcomesJson = "[\"Held\"]", Status = status, Role = "supervisor", CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}

public sealed class SqlitePerCourseSupervisionRetirementTests : PerCourseSupervisionRetirementTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => System.Threading.Tasks.Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresPerCourseSupervisionRetirementTests : PerCourseSupervisionRetirementTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
