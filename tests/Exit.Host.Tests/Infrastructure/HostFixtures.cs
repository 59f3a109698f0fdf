using Exit.Testing;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Exit.Host.Tests.Infrastructure;

/// <summary>Which database a Host test runs on; the same test classes run on both (provider parity).</summary>
public interface IHostDatabase : IAsyncDisposable
{
    /// <summary>A fresh Host on a fresh database, optionally on a manual clock.</summary>
    Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider? clock = null);
}

public sealed class SqliteHostDatabase : IHostDatabase
{
    private readonly List<ExitHostFactory> _hosts = new();

    public Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider? clock = null)
    {
        var host = new ExitHostFactory(clock);
        _hosts.Add(host);
        return Task.FromResult(host);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresHostDatabase : IHostDatabase
{
    private readonly List<(ExitHostFactory Host, PostgresTestDatabase Database)> _hosts = new();

    public async Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider? clock = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var host = new ExitHostFactory(clock, database.Options.ConnectionString);
        _hosts.Add((host, database));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, database) in _hosts)
        {
            host.Dispose();
            await database.DisposeAsync();
        }
    }
}

/// <summary>
/// A Host on a fresh SQL Server database (env <c>EXIT_TEST_SQLSERVER</c>; classes using it are <see cref="RequiresSqlServerAttribute"/>).
/// Never run here: these machines have no SQL Server engine.
/// </summary>
public sealed class SqlServerHostDatabase : IHostDatabase
{
    private readonly List<(ExitHostFactory Host, SqlServerTestDatabase Database)> _hosts = new();

    public async Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider? clock = null)
    {
        var database = await SqlServerTestDatabase.CreateAsync();
        var host = new ExitHostFactory(clock, configure: b =>
        {
            b.UseSetting("Exit:Database:Provider", "SqlServer");
            b.UseSetting("Exit:Database:ConnectionString", database.Options.ConnectionString);
        });
        _hosts.Add((host, database));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, database) in _hosts)
        {
            host.Dispose();
            await database.DisposeAsync();
        }
    }
}
