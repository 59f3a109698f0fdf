using Exit.Workflows.Testing;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Exit.Workflows.Tests.Timers.Quartz;

/// <summary>
/// The one wake-up trigger only ever moves earlier, whoever arms it: concurrent callers in one host, and two hosts of a
/// PostgreSQL cluster on one database. Real Quartz stores, manual clock.
/// </summary>
[Collection(QuartzCollection.Name)]
public sealed class TimerWakeUpArmingTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2031, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly string? Server = Environment.GetEnvironmentVariable("EXIT_TEST_POSTGRES");

    [Fact]
    public async Task OneHost_TheEarliestOfManyConcurrentArmsIsStored_ALaterOneDoesNotMoveIt()
    {
        using var db = new TimerTestDatabase();
        var clock = new ManualTimeProvider(Now);
        await using var host = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler(), output: output);
        var wakeUp = host.Services.GetRequiredService<ITimerWakeUp>();

        var dues = Enumerable.Range(1, 60).Select(i => Now.AddMinutes(i * 7 % 61 + 30)).ToList();
        await Task.WhenAll(dues.Select(d => Task.Run(() => wakeUp.ArmAsync(d, CancellationToken.None))));
        Assert.Equal(dues.Min(), await FireTimeAsync(host));

        await wakeUp.ArmAsync(Now.AddDays(1), CancellationToken.None);
        Assert.Equal(dues.Min(), await FireTimeAsync(host));

        await wakeUp.ArmAsync(Now.AddMinutes(5), CancellationToken.None);
        Assert.Equal(Now.AddMinutes(5), await FireTimeAsync(host));
        Assert.Equal(1, await host.CountTriggersAsync());
    }

    [Fact]
    public async Task TwoHostsOfAPostgresCluster_NeitherMovesTheOthersEarlierWakeUpLater()
    {
        if (string.IsNullOrEmpty(Server)) return;
        var database = "exit_wakeup_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        await ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;
            using var db = new TimerTestDatabase(); // the shared scheduler name
            var clock = new ManualTimeProvider(Now);
            void Clustered(Exit.Workflows.Timers.SchedulingOptions o) => o.Clustered = true;
            await using var a = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler(), output: output, configure: Clustered, provider: "Postgres", connectionString: cs);
            await using var b = await TimerTestHost.StartAsync(db, clock, new RecordingDueHandler(), output: output, configure: Clustered, provider: "Postgres", connectionString: cs);
            var wakeUpA = a.Services.GetRequiredService<ITimerWakeUp>();
            var wakeUpB = b.Services.GetRequiredService<ITimerWakeUp>();

            await wakeUpA.ArmAsync(Now.AddHours(2), CancellationToken.None);
            await wakeUpB.ArmAsync(Now.AddHours(1), CancellationToken.None);
            await wakeUpA.ArmAsync(Now.AddMinutes(90), CancellationToken.None);
            Assert.Equal(Now.AddHours(1), await FireTimeAsync(a));
            Assert.Equal(Now.AddHours(1), await FireTimeAsync(b));

            await wakeUpA.ArmAsync(Now.AddMinutes(30), CancellationToken.None);
            Assert.Equal(Now.AddMinutes(30), await FireTimeAsync(b));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task FreshPostgresDatabase_TheSchedulersLockRowsAreCommittedBeforeQuartzTakesALock()
    {
        if (string.IsNullOrEmpty(Server)) return;
        var database = "exit_locks_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        await ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;
            // Two hosts starting: the second finds tables and rows and changes nothing.
            await new PostgresQuartzSchema(cs, "exit-locks-test").StartAsync(CancellationToken.None);
            await new PostgresQuartzSchema(cs, "exit-locks-test").StartAsync(CancellationToken.None);

            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT sched_name || '/' || lock_name FROM qrtz_locks ORDER BY 1", connection);
            var rows = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            Assert.Equal(["exit-locks-test/STATE_ACCESS", "exit-locks-test/TRIGGER_ACCESS"], rows);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task<DateTimeOffset?> FireTimeAsync(TimerTestHost host)
    {
        var scheduler = await host.SchedulerAsync();
        var trigger = await scheduler.GetTrigger(TimerKeys.WakeUp, CancellationToken.None);
        return trigger?.NextFireTimeUtc;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
