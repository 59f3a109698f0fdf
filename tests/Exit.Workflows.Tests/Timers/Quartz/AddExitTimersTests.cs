using Exit.Workflows.Calendar;
using Exit.Workflows.Timers;
using Exit.Workflows.Timers.Quartz;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using SchedulingOptions = Exit.Workflows.Timers.SchedulingOptions;

namespace Exit.Workflows.Tests.Timers.Quartz;

public sealed class AddExitTimersTests
{
    [Fact]
    public void Sqlite_Clustered_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddExitTimers(new SchedulingOptions { Clustered = true }, "Sqlite", "Data Source=x.db"));

        Assert.Contains("Quartz refuses clustering on SQLite", ex.Message);
    }

    [Fact]
    public void UnknownProvider_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddExitTimers(new SchedulingOptions(), "SqlServer", "Server=x"));

        Assert.Contains("use \"Sqlite\" or \"Postgres\"", ex.Message);
    }

    [Fact]
    public void BatchLargerThanThreadPool_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddExitTimers(
            new SchedulingOptions { MaxConcurrency = 4, MaxBatchSize = 8 }, "Sqlite", "Data Source=x.db"));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x;Mode=Memory")]
    public void InMemorySqlite_IsRefused(string connectionString)
    {
        Assert.Throws<ArgumentException>(() => SqliteTimerConnectionFactory.NormalizeConnectionString(connectionString));
    }

    [Fact]
    public void NormalizeConnectionString_DefaultsPoolingAndTimeout_KeepsWhatWasGiven()
    {
        var defaulted = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            SqliteTimerConnectionFactory.NormalizeConnectionString("Data Source=/tmp/exit.db"));
        var given = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            SqliteTimerConnectionFactory.NormalizeConnectionString("Data Source=/tmp/exit.db;Default Timeout=5;Pooling=False"));

        Assert.Equal(("/tmp/exit.db", true, 30), (defaulted.DataSource, defaulted.Pooling, defaulted.DefaultTimeout));
        Assert.Equal(("/tmp/exit.db", false, 5), (given.DataSource, given.Pooling, given.DefaultTimeout));
    }
}
