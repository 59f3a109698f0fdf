using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Exit.Workflows.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>
/// The same scheduler on PostgreSQL, clustered and not. Runs only when <c>EXIT_TEST_POSTGRES</c> holds a server
/// connection string (e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>); each test creates and drops a database.
/// </summary>
[Collection(QuartzCollection.Name)]
public sealed class PostgresTimerTests(ITestOutputHelper output)
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("EXIT_TEST_POSTGRES");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleFireAndRestart_OnPostgres(bool clustered)
    {
        if (string.IsNullOrEmpty(Server))
        {
            return;
        }

        var database = "exit_timers_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        await ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;
            using var db = new TimerTestDatabase(); // only for the scheduler name
            var clock = new ManualTimeProvider(new DateTimeOffset(2031, 1, 15, 9, 0, 0, TimeSpan.Zero));
            var handler = new RecordingDueHandler();
            void Configure(Exit.Workflows.Timers.SchedulingOptions o) => o.Clustered = clustered;

            await using (var first = await TimerTestHost.StartAsync(db, clock, handler, output: output, configure: Configure, provider: "Postgres", connectionString: cs))
            {
                await first.Timers.ScheduleAsync(
                    [new DueTimer("now", "i1", clock.GetUtcNow().AddMinutes(1)), new DueTimer("later", "i2", clock.GetUtcNow().AddHours(1))],
                    CancellationToken.None);
                await first.Timers.ScheduleAsync([new DueTimer("now", "i1", clock.GetUtcNow().AddMinutes(1))], CancellationToken.None);
                clock.Advance(TimeSpan.FromMinutes(1));
                await handler.WaitForAsync("now");
            }

            clock.Advance(TimeSpan.FromDays(2));
            await using var second = await TimerTestHost.StartAsync(db, clock, handler, output: output, configure: Configure, provider: "Postgres", connectionString: cs);
            await handler.WaitForAsync("later");
            await TimerTestHost.EventuallyAsync(async () => await second.CountTriggersAsync() == 0, "all triggers are removed");
            Assert.Equal(1, handler.CallsFor("now"));
            Assert.Equal(1, handler.CallsFor("later"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
