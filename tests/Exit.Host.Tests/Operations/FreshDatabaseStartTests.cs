using System.Net;
using System.Text.Json;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Exit.Host.Tests.Operations;

/// <summary>
/// Issue 13: the first start on an empty database migrates every store (runtime, tasks, CTI, identity, Quartz) without
/// an error line in the service's log. On PostgreSQL EF used to log <c>fail: ...Database.Command</c> once per store,
/// from its probe of the missing migrations history table; an operator would chase those for nothing.
/// The log is the Host's own compact-JSON file (<c>Exit:Logging:File</c>), read after the host has stopped.
/// </summary>
public abstract class FreshDatabaseStartTests
{
    protected abstract Task<(string? Postgres, IAsyncDisposable? Database)> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task FirstStart_OnAnEmptyDatabase_LogsNoError()
    {
        var (postgres, database) = await CreateDatabaseAsync();
        var logFolder = Path.Combine(Path.GetTempPath(), "exit-fresh-start-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(logFolder);
        try
        {
            using (var host = new ExitHostFactory(postgresConnectionString: postgres,
                       configure: b => b.UseSetting("Exit:Logging:File", Path.Combine(logFolder, "exit-.log"))))
            {
                var health = await host.CreateClient().GetAsync("/health");
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            var lines = Directory.GetFiles(logFolder).SelectMany(File.ReadAllLines).ToList();
            Assert.NotEmpty(lines); // the sink wrote the start-up's information lines, so it was the one in use
            var errors = lines
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.TryGetProperty("@l", out var level) && level.GetString() is "Error" or "Fatal")
                .Select(e => e.GetRawText())
                .ToList();
            Assert.True(errors.Count == 0, "error lines on a fresh start:\n" + string.Join("\n", errors));
        }
        finally
        {
            if (database is not null) await database.DisposeAsync();
            try { Directory.Delete(logFolder, recursive: true); } catch (IOException) { }
        }
    }
}

public sealed class SqliteFreshDatabaseStartTests : FreshDatabaseStartTests
{
    protected override Task<(string?, IAsyncDisposable?)> CreateDatabaseAsync() =>
        Task.FromResult<(string?, IAsyncDisposable?)>((null, null));
}

[RequiresPostgres]
public sealed class PostgresFreshDatabaseStartTests : FreshDatabaseStartTests
{
    protected override async Task<(string?, IAsyncDisposable?)> CreateDatabaseAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        return (database.Options.ConnectionString, database);
    }
}
