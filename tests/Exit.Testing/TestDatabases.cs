using Exit.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Exit.Testing;

/// <summary>A fresh, empty database for one test (or fixture); dropped/deleted on dispose.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    DatabaseOptions Options { get; }
}

/// <summary>A temporary SQLite file (plus its -wal/-shm), deleted on dispose.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private SqliteTestDatabase(string path)
    {
        Path = path;
        Options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={path}" };
    }

    public string Path { get; }
    public DatabaseOptions Options { get; }

    public static SqliteTestDatabase Create() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"exit-test-{Guid.NewGuid():N}.db"));

    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(Options.ConnectionString)) SqliteConnection.ClearPool(connection);
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            try { File.Delete(Path + suffix); }
            catch (IOException) { /* best effort: a temp file */ }
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL from env <c>EXIT_TEST_POSTGRES</c> (e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>). Each instance
/// creates a uniquely named database and drops it on dispose. Without the variable, tests marked
/// <see cref="RequiresPostgresAttribute"/> are skipped with a message, except under <c>CI=true</c> where they fail.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    public const string EnvironmentVariable = "EXIT_TEST_POSTGRES";

    private readonly string _adminConnectionString;
    private readonly string _name;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        _name = name;
        Options = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString };
    }

    public DatabaseOptions Options { get; }

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped, or null when they run (configured, or CI where a missing server fails).</summary>
    public static string? SkipReason => ServerConnectionString is null && !IsCi
        ? $"PostgreSQL tests skipped: env {EnvironmentVariable} is not set (e.g. Host=127.0.0.1;Port=55432;Username=postgres)."
        : null;

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = ServerConnectionString ?? throw new InvalidOperationException(
            $"PostgreSQL tests must run under CI=true but env {EnvironmentVariable} is not set. " +
            "Start PostgreSQL and set it, e.g. EXIT_TEST_POSTGRES=\"Host=127.0.0.1;Port=55432;Username=postgres\".");
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        var name = $"exit_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE \"{name}\"";
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new PostgresTestDatabase(admin, name, cs);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var c = new NpgsqlConnection(Options.ConnectionString)) NpgsqlConnection.ClearPool(c);
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)";
        await cmd.ExecuteNonQueryAsync();
    }
}
