using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Exit.Host.Tests.Infrastructure;

/// <summary>
/// The real Host (Program) on its own SQLite file — or a fresh PostgreSQL database — with the real runtime,
/// store and Quartz scheduler. With a <see cref="ManualTimeProvider"/>, tests move time by hand and the real
/// scheduler fires what falls due. Clients authenticate with a test API key holding every role
/// (<see cref="TestApiKeys"/>); <see cref="CreateClientAs"/> picks one role, or none.
/// </summary>
public sealed class ExitHostFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-host-tests", Guid.NewGuid().ToString("N"));
    private readonly Action<IWebHostBuilder>? _configure;

    public ExitHostFactory(ManualTimeProvider? clock = null, string? postgresConnectionString = null, Action<IWebHostBuilder>? configure = null)
    {
        Clock = clock;
        PostgresConnectionString = postgresConnectionString;
        _configure = configure;
        Directory.CreateDirectory(_directory);
    }

    public ManualTimeProvider? Clock { get; }
    public string? PostgresConnectionString { get; }
    public string DatabasePath => Path.Combine(_directory, "exit.db");

    /// <summary>One number read from this host's SQLite file on a connection of the test's own (a count, mostly).</summary>
    public async Task<long> SqliteScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Extra definition files for this host, next to the shipped ones.</summary>
    public string DefinitionsFolder => Path.Combine(_directory, "definitions");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (PostgresConnectionString is null)
        {
            builder.UseSetting("Exit:Database:Provider", "Sqlite");
            builder.UseSetting("Exit:Database:SqlitePath", DatabasePath);
        }
        else
        {
            builder.UseSetting("Exit:Database:Provider", "Postgres");
            builder.UseSetting("Exit:Database:ConnectionString", PostgresConnectionString);
        }

        builder.UseSetting("Exit:Logging:Json", "false");
        foreach (var (key, value) in TestApiKeys.Settings()) builder.UseSetting(key, value);
        if (Directory.Exists(DefinitionsFolder)) builder.UseSetting("Exit:DefinitionsFolder", DefinitionsFolder);
        if (Clock is not null)
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        _configure?.Invoke(builder);
    }

    /// <summary>Scope validation on, as in Development: a singleton capturing a scoped service fails the test host.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        return base.CreateHost(builder);
    }

    /// <summary>Clients act with every role (<see cref="TestApiKeys.AllRoles"/>) unless a test says otherwise.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestApiKeys.Authorize(client, TestApiKeys.AllRoles);
    }

    /// <summary>A client acting as <paramref name="role"/> through its test API key; null for an anonymous client.</summary>
    public HttpClient CreateClientAs(string? role, string municipality = Exit.Workflows.Tenancy.TenantIds.Default)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        TestApiKeys.Authorize(client, role, municipality);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
