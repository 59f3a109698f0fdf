using System.Diagnostics;
using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>Runs only when EXIT_TEST_POSTGRES holds a server connection string (e.g. Host=127.0.0.1;Port=55432;Username=postgres).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "EXIT_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"Set {Variable} to a PostgreSQL connection string to run.";
    }
}

/// <summary>The same migration, participant and queries against PostgreSQL, in a database made for each test.</summary>
public sealed class PostgresTaskStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _database = $"exit_tasks_{Guid.NewGuid():N}";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private string _connectionString = "";
    private TaskDbContextFactory _contexts = null!;
    private TaskCommitParticipant _participant = null!;
    private TaskQueries _queries = null!;

    private static string? Server => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable);

    public async Task InitializeAsync()
    {
        if (Server is null) return;
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database }.ConnectionString;
        _contexts = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _connectionString });
        await using (var db = _contexts.Create()) await db.Database.MigrateAsync();
        _participant = new TaskCommitParticipant(_clock);
        _queries = new TaskQueries(_contexts, _clock);
    }

    public async Task DisposeAsync()
    {
        if (Server is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task CommitAsync(params object[] effects)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await _participant.ApplyAsync(new CommitContext(connection, tx, DatabaseProvider.Postgres), effects, default);
        await tx.CommitAsync();
    }

    [PostgresFact]
    public async Task Participant_CreateCompleteTwiceDiscard_OnPostgres()
    {
        var now = _clock.GetUtcNow();
        await CommitAsync(TaskDatabase.Created("t1", now.AddDays(-1)), TaskDatabase.Created("t2", now.AddDays(-2)), TaskDatabase.Created("t3"));
        await CommitAsync(new TaskCompleted("t1", "Approve", JsonNode.Parse("""{"n":1}"""), "anna", now));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CommitAsync(new TaskCompleted("t1", "Reject", null, "bo", now)));
        await CommitAsync(new BookmarksDiscarded("instance-1", [], ["t3"]));

        var t1 = await _queries.GetAsync("t1", default);
        Assert.Equal((HumanTaskStatus.Completed, "Approve", 1), (t1!.Status, t1.Outcome, t1.Data!["n"]!.GetValue<int>()));
        Assert.Equal(HumanTaskStatus.Cancelled, (await _queries.GetAsync("t3", default))!.Status);

        var overdue = await _queries.ListAsync(new TaskFilter(Overdue: true), default);
        Assert.Equal(["t2"], overdue.Items.Select(t => t.Id));
        var all = await _queries.ListAsync(new TaskFilter(), default);
        Assert.Equal(["t2", "t1", "t3"], all.Items.Select(t => t.Id)); // undated last, as on SQLite
    }

    [PostgresFact]
    public async Task Participant_ConcurrentCompletions_SecondWaitsForRowLockThenConflicts()
    {
        await CommitAsync(TaskDatabase.Created("t1"));

        await using var first = new NpgsqlConnection(_connectionString);
        await first.OpenAsync();
        await using var firstTx = await first.BeginTransactionAsync();
        await _participant.ApplyAsync(new CommitContext(first, firstTx, DatabaseProvider.Postgres),
            [new TaskCompleted("t1", "Approve", null, "anna", DateTimeOffset.UnixEpoch)], default);

        var second = CommitAsync(new TaskCompleted("t1", "Reject", null, "bo", DateTimeOffset.UnixEpoch));
        await Task.WhenAny(second, Task.Delay(300));
        Assert.False(second.IsCompleted); // blocked on the row lock held by the first transaction
        await firstTx.CommitAsync();

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => second);
        Assert.Equal("Approve", (await _queries.GetAsync("t1", default))!.Outcome);
    }

    [PostgresFact]
    public async Task Overdue_At100000OpenTasks_MeasuredLatency()
    {
        var now = _clock.GetUtcNow();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using (var import = await connection.BeginBinaryImportAsync(
                """COPY "HumanTasks" ("Id","Title","Assignee","Role","InstanceId","ActivityInstanceId","ActivityId","BookmarkKey","DueAt","DueOrder","Status","AllowedOutcomesJson","CreatedAt","Version") FROM STDIN (FORMAT BINARY)"""))
            {
                for (var i = 0; i < 100_000; i++)
                {
                    var id = $"t{i:D6}";
                    var due = now.AddMinutes(-72_000 + i * 1.44).UtcTicks;
                    await import.StartRowAsync();
                    foreach (var text in new[] { id, "Task", $"user{i % 200}", "caseworker", id, id, "task1", id })
                        await import.WriteAsync(text, NpgsqlTypes.NpgsqlDbType.Text);
                    await import.WriteAsync(due, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await import.WriteAsync(due, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await import.WriteAsync("Open", NpgsqlTypes.NpgsqlDbType.Text);
                    await import.WriteAsync("""["Done"]""", NpgsqlTypes.NpgsqlDbType.Text);
                    await import.WriteAsync(now.UtcTicks, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await import.WriteAsync(1L, NpgsqlTypes.NpgsqlDbType.Bigint);
                }

                await import.CompleteAsync();
            }

            await using var analyze = new NpgsqlCommand("""ANALYZE "HumanTasks" """, connection);
            await analyze.ExecuteNonQueryAsync();
        }

        await _queries.ListAsync(new TaskFilter(Overdue: true), default);
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            var page = await _queries.ListAsync(new TaskFilter(Overdue: true), default);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Equal((1000, true), (page.TotalCount, page.TotalCountIsLowerBound));
        }

        times.Sort();
        var exact = Stopwatch.StartNew();
        var all = await _queries.ListAsync(new TaskFilter(Overdue: true, CountLimit: null), default);
        Assert.Equal((50_000, false), (all.TotalCount, all.TotalCountIsLowerBound));
        output.WriteLine($"Postgres overdue with an exact count of 50000: {exact.Elapsed.TotalMilliseconds:F2} ms");
        output.WriteLine($"Postgres overdue, first page of 50 + count to 1000: median {times[10]:F2} ms, p95 {times[18]:F2} ms (100000 open tasks, load average {TaskThroughputTests.LoadAverage()})");
    }
}
