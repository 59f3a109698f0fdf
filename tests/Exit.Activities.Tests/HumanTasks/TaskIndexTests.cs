using Exit.Activities.HumanTasks;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>
/// The role and correlation-id indexes hold only tasks that have a value there; the lists by assignee, by role, the team
/// queue and a course's tasks still use their indexes (SQLite's plan), and tasks stored before the migration that made
/// them partial are all found afterwards, by every filter.
/// </summary>
public sealed class SqliteTaskIndexTests : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ListsByAssigneeRoleAndCorrelation_AndTheTeamQueue_UseTheirPartialIndexes()
    {
        using var tenant = TenantScope.Enter(TenantIds.Default);
        await using var db = _db.Contexts.Create();
        string assignee = "anna", role = "caseworker", correlationId = "case-7";
        var roles = new List<string> { "caseworker", "lead" };
        var open = HumanTaskStatus.Open;

        // The shapes TaskQueries.ListAsync and HumanTaskService.QueueAsync build.
        Assert.Contains("IX_HumanTasks_Assignee_Status_DueOrder", await PlanAsync(db,
            db.Tasks.AsNoTracking().Where(t => t.Assignee == assignee).Where(t => t.Status == open).OrderBy(t => t.DueOrder).ThenBy(t => t.Id).Take(50)));
        Assert.Contains("IX_HumanTasks_Role_Status_DueOrder", await PlanAsync(db,
            db.Tasks.AsNoTracking().Where(t => t.Role == role).OrderBy(t => t.DueOrder).ThenBy(t => t.Id).Take(50)));
        // The queue seeks the unassigned open tasks in the (whole) assignee index, in due order.
        Assert.Contains("IX_HumanTasks_Assignee_Status_DueOrder (TenantId=? AND Assignee=? AND Status=?)", await PlanAsync(db,
            db.Tasks.AsNoTracking().Where(t => t.Status == open && t.Assignee == null && t.Role != null && roles.Contains(t.Role))
                .OrderBy(t => t.DueOrder).ThenBy(t => t.Id).Take(500)));
        Assert.Contains("IX_HumanTasks_CorrelationId", await PlanAsync(db,
            db.Tasks.AsNoTracking().Where(t => t.CorrelationId == correlationId).OrderBy(t => t.DueOrder).ThenBy(t => t.Id)));
    }

    [Fact]
    public async Task CancellingAnInstancesTask_FindsItThroughTheInstanceIndex_NotTheMunicipalitysOpenTasks()
    {
        await using var db = _db.Contexts.Create();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + TaskCommitParticipant.CancelOnSqlite.Sql;
        foreach (var (name, _) in TaskCommitParticipant.CancelOnSqlite.Parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = "x";
            cmd.Parameters.Add(p);
        }
        var plan = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));

        Assert.Contains("IX_HumanTasks_InstanceId", string.Join(" | ", plan));
    }

    private static async Task<string> PlanAsync(TaskDbContext db, IQueryable<TaskRecord> query)
    {
        var sql = query.ToQueryString().Split('\n');
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + string.Join("\n", sql.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        foreach (var parts in sql.Where(l => l.StartsWith(".param set", StringComparison.Ordinal)).Select(l => l.Split(' ', 4)))
        {
            var p = cmd.CreateParameter();
            p.ParameterName = parts[2];
            p.Value = long.TryParse(parts[3], out var n) ? n : parts[3].Trim('\'');
            cmd.Parameters.Add(p);
        }
        var plan = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return string.Join(" | ", plan);
    }
}

public sealed class SqlitePartialTaskIndexMigrationTests : PartialTaskIndexMigrationTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresPartialTaskIndexMigrationTests : PartialTaskIndexMigrationTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}

public abstract class PartialTaskIndexMigrationTests
{
    private const string Before = "20261209020000_TaskTenancy";

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task TasksStoredBeforeThePartialIndexes_AreFoundByEveryFilterAfterwards()
    {
        await using var database = await CreateDatabaseAsync();
        var contexts = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var clock = new Exit.Workflows.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var past = clock.GetUtcNow().AddDays(-1).UtcTicks;
        await using (var db = contexts.Create())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            // An assigned task of a course, a role's unassigned task, and a task with neither (rows as the old schema held them).
            var rows = $"""
                INSERT INTO "HumanTasks" ("TenantId", "Id", "Title", "InstanceId", "ActivityInstanceId", "ActivityId", "BookmarkKey", "DueAt", "DueOrder",
                    "Status", "AllowedOutcomesJson", "CreatedAt", "Version", "Assignee", "Role", "CorrelationId")
                VALUES ('default', 'assigned', 'Ring op', 'i-1', 'ai-1', 'a-1', 'assigned', {past}, {past}, 'Open', '["Done"]', 1, 1, 'anna', NULL, 'case-7'),
                       ('default', 'queued', 'Vurder', 'i-2', 'ai-2', 'a-1', 'queued', NULL, {TaskRecord.NoDueDate}, 'Open', '["Done"]', 1, 1, NULL, 'worker', NULL),
                       ('default', 'plain', 'Skriv', 'i-3', 'ai-3', 'a-1', 'plain', NULL, {TaskRecord.NoDueDate}, 'Open', '["Done"]', 1, 1, NULL, NULL, NULL)
                """;
            await db.Database.ExecuteSqlRawAsync(rows);
        }

        await using (var db = contexts.Create()) await db.Database.MigrateAsync();

        var queries = new TaskQueries(contexts, clock);
        using var tenant = TenantScope.Enter(TenantIds.Default);
        async Task<string[]> Ids(TaskFilter filter) => (await queries.ListAsync(filter, default)).Items.Select(t => t.Id).ToArray();
        Assert.Equal(["assigned"], await Ids(new TaskFilter(Assignee: "anna")));
        Assert.Equal(["queued"], await Ids(new TaskFilter(Role: "worker")));
        Assert.Equal(["assigned"], await Ids(new TaskFilter(CorrelationId: "case-7")));
        Assert.Equal(["assigned"], await Ids(new TaskFilter(Overdue: true)));
        Assert.Equal(["assigned", "plain", "queued"], (await Ids(new TaskFilter(Status: HumanTaskStatus.Open))).Order());

        // New tasks after the migration are listed beside the old ones.
        await using (var db = contexts.Create())
        {
            db.Tasks.Add(new TaskRecord
            {
                Id = "new", Title = "Ny", InstanceId = "i-4", ActivityInstanceId = "ai-4", ActivityId = "a-1", BookmarkKey = "new",
                DueOrder = TaskRecord.NoDueDate, Status = HumanTaskStatus.Open, AllowedOutcomesJson = "[\"Done\"]", Assignee = "anna",
                CreatedAt = clock.GetUtcNow(), Version = 1,
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(["assigned", "new"], await Ids(new TaskFilter(Assignee: "anna")));
    }
}
