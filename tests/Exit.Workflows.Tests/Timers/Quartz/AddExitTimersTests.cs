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
            new ServiceCollection().AddExitTimers(new SchedulingOptions(), "Oracle", "Data Source=x"));

        Assert.Contains("use \"Sqlite\", \"Postgres\" or \"SqlServer\"", ex.Message);
    }

    [Fact]
    public void SqlServer_Clustered_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddExitTimers(new SchedulingOptions { Clustered = true }, "SqlServer", "Server=x;Database=exit"));

        Assert.Contains("timer claims", ex.Message);
    }

    [Fact]
    public void SqlServer_CreatesQuartzsSchemaBeforeQuartzStarts()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddExitTimers(new SchedulingOptions(), "SqlServer", "Server=sqlserver.invalid;Database=exit");

        // The schema service is registered before Quartz's own hosted service, so it runs first.
        var hosted = services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)).ToList();
        var schema = hosted.FindIndex(d => d.ImplementationFactory?.Method.ReturnType == typeof(SqlServerQuartzSchema));
        var quartzHost = hosted.FindIndex(d => (d.ImplementationType ?? d.ImplementationFactory?.Method.ReturnType)?.Name == "QuartzHostedService");
        Assert.True(schema >= 0 && quartzHost > schema, $"schema service at {schema}, Quartz at {quartzHost}");
    }

    [Fact]
    public void SqlServerSchema_IsQuartzsOwnScript_WithEveryTable()
    {
        var statements = SqlServerQuartzSchema.Statements().ToList();
        foreach (var table in new[] { "JOB_DETAILS", "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS", "SIMPROP_TRIGGERS", "BLOB_TRIGGERS", "CALENDARS", "PAUSED_TRIGGER_GRPS", "FIRED_TRIGGERS", "SCHEDULER_STATE", "LOCKS" })
            Assert.Contains(statements, s => s.Contains($"QRTZ_{table}", StringComparison.OrdinalIgnoreCase) && s.Contains("CREATE TABLE", StringComparison.OrdinalIgnoreCase));
        // Placeholders all substituted, no batch separator SQL Server's client would choke on.
        Assert.DoesNotContain(statements, s => s.Contains("{0}", StringComparison.Ordinal) || s.Contains("{1}", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.Split('\n').Any(l => l.Trim() == "GO"));
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
