using System.Diagnostics;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Xunit.Abstractions;

namespace Exit.Activities.Tests.HumanTasks;

public sealed class TaskQueriesTests(ITestOutputHelper output) : IDisposable
{
    private readonly TaskDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ListAsync_Overdue_OnlyOpenTasksDueBeforeNow_OrderedByDueThenId()
    {
        var now = _db.Clock.GetUtcNow();
        await _db.CommitAsync(
            TaskDatabase.Created("late-b", now.AddDays(-1)),
            TaskDatabase.Created("late-a", now.AddDays(-1)),
            TaskDatabase.Created("later", now.AddHours(-1)),
            TaskDatabase.Created("future", now.AddHours(1)),
            TaskDatabase.Created("exactly-now", now),
            TaskDatabase.Created("no-due"),
            TaskDatabase.Created("done-late", now.AddDays(-2)),
            TaskDatabase.Created("cancelled-late", now.AddDays(-2)));
        await _db.CommitAsync(new TaskCompleted("done-late", "Approve", null, null, now));
        await _db.CommitAsync(new BookmarksDiscarded("instance-1", [], ["cancelled-late"]));

        var overdue = await _db.Queries.ListAsync(new TaskFilter(Overdue: true), default);

        Assert.Equal(["late-a", "late-b", "later"], overdue.Items.Select(t => t.Id));
        Assert.Equal(3, overdue.TotalCount);
        Assert.All(overdue.Items, t => Assert.True(t.IsOverdue));

        var notOverdue = await _db.Queries.ListAsync(new TaskFilter(Overdue: false), default);
        Assert.Equal(["cancelled-late", "done-late", "exactly-now", "future", "no-due"], notOverdue.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task ListAsync_Filters_ByAssigneeRoleStatusCorrelationAndPages()
    {
        var now = _db.Clock.GetUtcNow();
        await _db.CommitAsync(
            TaskDatabase.Created("a1", now.AddDays(1), assignee: "anna"),
            TaskDatabase.Created("a2", now.AddDays(2), assignee: "anna", correlationId: "case-7"),
            TaskDatabase.Created("a3", now.AddDays(3), assignee: "anna"),
            TaskDatabase.Created("b1", now.AddDays(1), assignee: "bo"));
        await _db.CommitAsync(new TaskCompleted("a3", "Approve", null, null, now));

        var annasOpen = await _db.Queries.ListAsync(new TaskFilter(Assignee: "anna", Status: HumanTaskStatus.Open), default);
        Assert.Equal(["a1", "a2"], annasOpen.Items.Select(t => t.Id));

        var page2 = await _db.Queries.ListAsync(new TaskFilter(Role: "caseworker", Page: 1, PageSize: 3), default);
        Assert.Equal(["a3"], page2.Items.Select(t => t.Id));
        Assert.Equal((4, false), (page2.TotalCount, page2.TotalCountIsLowerBound));

        var capped = await _db.Queries.ListAsync(new TaskFilter(Role: "caseworker", PageSize: 1, CountLimit: 2), default);
        Assert.Equal((2, true), (capped.TotalCount, capped.TotalCountIsLowerBound));

        var byCase = await _db.Queries.ListAsync(new TaskFilter(CorrelationId: "case-7"), default);
        Assert.Equal(["a2"], byCase.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNull() => Assert.Null(await _db.Queries.GetAsync("nope", default));

    [Fact]
    public async Task ListAsync_Overdue_At100000OpenTasks_MeasuredLatency()
    {
        const int count = 100_000;
        var now = _db.Clock.GetUtcNow();
        await using (var connection = _db.Open())
        await using (var tx = connection.BeginTransaction())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO HumanTasks (Id, Title, Assignee, Role, InstanceId, ActivityInstanceId, ActivityId, BookmarkKey, DueAt, DueOrder, Status, AllowedOutcomesJson, CreatedAt, Version)
                VALUES ($id, 'Task', $assignee, 'caseworker', $id, $id, 'task1', $id, $due, $due, 'Open', '["Done"]', $created, 1)
                """;
            var id = cmd.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var assignee = cmd.Parameters.Add("$assignee", Microsoft.Data.Sqlite.SqliteType.Text);
            var due = cmd.Parameters.Add("$due", Microsoft.Data.Sqlite.SqliteType.Integer);
            var created = cmd.Parameters.Add("$created", Microsoft.Data.Sqlite.SqliteType.Integer);
            cmd.Prepare();
            for (var i = 0; i < count; i++)
            {
                id.Value = $"t{i:D6}";
                assignee.Value = $"user{i % 200}";
                // Due dates spread from 50 days ago to 50 days ahead: half of the open tasks are overdue.
                due.Value = now.AddMinutes(-72_000 + (i * 1.44)).UtcTicks;
                created.Value = now.AddDays(-60).UtcTicks;
                cmd.ExecuteNonQuery();
            }

            await tx.CommitAsync();
        }

        await using (var connection = _db.Open())
        {
            using var plan = connection.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN SELECT Id FROM HumanTasks WHERE Status = 'Open' AND DueOrder < $now ORDER BY DueOrder, Id LIMIT 50";
            plan.Parameters.AddWithValue("$now", now.UtcTicks);
            using var reader = plan.ExecuteReader();
            while (reader.Read()) output.WriteLine("plan: " + reader.GetString(3));
        }

        var filters = new (string Name, TaskFilter Filter)[]
        {
            ("overdue, first page of 50 (count to 1000)", new TaskFilter(Overdue: true)),
            ("overdue, first page of 50 with exact count of 50000", new TaskFilter(Overdue: true, CountLimit: null)),
            ("overdue for one assignee", new TaskFilter(Assignee: "user7", Overdue: true)),
            ("open, ordered by due, first page", new TaskFilter(Status: HumanTaskStatus.Open)),
        };
        foreach (var (name, filter) in filters)
        {
            await _db.Queries.ListAsync(filter, default); // warm-up
            var times = new List<double>();
            TaskPage? page = null;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < 20; i++)
            {
                var sw = Stopwatch.StartNew();
                page = await _db.Queries.ListAsync(filter, default);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 20;
            times.Sort();
            output.WriteLine($"{name}: median {times[10]:F2} ms, p95 {times[18]:F2} ms, max {times[^1]:F2} ms wall, {cpuMs:F2} ms process CPU per query " +
                             $"(total {page!.TotalCount}{(page.TotalCountIsLowerBound ? "+" : "")}, {count} open tasks, SQLite file, load average {TaskThroughputTests.LoadAverage()})");
            Assert.Equal(50, page.Items.Count);
            if (filter.Overdue == true) Assert.All(page.Items, t => Assert.True(t.IsOverdue && t.DueAt < now));
        }
    }
}
