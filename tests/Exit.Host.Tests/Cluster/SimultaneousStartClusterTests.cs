using Exit.Host.Tests.Runtime;
using Exit.Testing;
using Npgsql;
using Xunit;

namespace Exit.Host.Tests.Cluster;

/// <summary>
/// Three real Host processes started at the same instant on a fresh PostgreSQL database (no tables at all): every one
/// becomes ready, the definitions folder and each municipality's template adoption are in the database exactly once
/// (version 1 of each, no second copy), and no host logged an error (no failed <c>CREATE TABLE</c>, no duplicate key).
/// </summary>
[RequiresPostgres]
public sealed class SimultaneousStartClusterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "exit-cluster-tests", Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase? _database;
    private readonly List<HostProcess> _hosts = [];
    private bool _passed;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        if (PostgresTestDatabase.SkipReason is null) _database = await PostgresTestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        if (_database is not null) await _database.DisposeAsync();
        if (_passed) Directory.Delete(_directory, recursive: true);
    }

    [DatabaseFact]
    public async Task ThreeHostsStartedTogetherOnAnEmptyDatabase_AllReady_DefinitionsImportedOnce_NoErrorLogged()
    {
        var database = _database!.Options.ConnectionString;
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
        var environment = new Dictionary<string, string>
        {
            ["Exit__Database__Provider"] = "Postgres",
            ["Exit__Database__ConnectionString"] = database,
            ["Exit__Scheduling__Clustered"] = "true",
        };

        // All three processes are launched before any is waited for; each then waits for its own /health/ready. The
        // start-up work is done one host after another, so the last may wait for two others' (minutes on a loaded machine).
        var starting = Enumerable.Range(0, 3)
            .Select(i => HostProcess.StartAsync(environment, Path.Combine(_directory, $"host{i}-.log"), "/health/ready", TimeSpan.FromMinutes(5)))
            .ToArray();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            foreach (var task in starting)
                if (task.IsCompletedSuccessfully) _hosts.Add(task.Result);
        }
        Assert.Equal(3, _hosts.Count);

        // Each file of the folder is a template once, and each municipality adopted it once: version 1 and no other.
        var folder = Path.Combine(Path.GetDirectoryName(HostProcess.HostAssemblyPath())!, "workflow-definitions");
        var files = Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Length;
        Assert.True(files > 0, $"no definition files in {folder}");
        Assert.Equal(files, await ScalarAsync(database, "SELECT COUNT(*) FROM wf_definitions WHERE tenant_id = 'national'"));
        Assert.True(await ScalarAsync(database, "SELECT COUNT(*) FROM wf_definitions WHERE tenant_id <> 'national'") > 0);
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM wf_definitions WHERE version <> 1"));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = (SELECT MIN(\"MigrationId\") FROM \"__EFMigrationsHistory\")"));

        // Every host still answers, and none logged an error or worse while starting.
        foreach (var host in _hosts)
        {
            using var client = host.CreateClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
        var errors = Directory.GetFiles(_directory, "host*.log")
            .SelectMany(f => File.ReadLines(f).Select(line => (File: Path.GetFileName(f), Line: line)))
            .Where(l => l.Line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || l.Line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, $"errors logged: {string.Join(Environment.NewLine, errors.Take(5).Select(e => $"{e.File}: {e.Line}"))}");
        _passed = true;
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
