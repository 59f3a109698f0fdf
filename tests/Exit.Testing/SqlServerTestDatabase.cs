using Exit.Workflows.Persistence;
using Microsoft.Data.SqlClient;

namespace Exit.Testing;

/// <summary>
/// SQL Server from env <c>EXIT_TEST_SQLSERVER</c> (e.g. <c>Server=127.0.0.1,1433;User Id=sa;Password=…;TrustServerCertificate=true</c>).
/// Each instance creates a uniquely named database and drops it on dispose. Without the variable, tests marked
/// <see cref="RequiresSqlServerAttribute"/> are skipped with a message, also under <c>CI=true</c>: no CI machine of this
/// project has a SQL Server engine, so its absence is expected and must not fail the run.
/// </summary>
public sealed class SqlServerTestDatabase : ITestDatabase
{
    public const string EnvironmentVariable = "EXIT_TEST_SQLSERVER";

    private readonly string _masterConnectionString;
    private readonly string _name;

    private SqlServerTestDatabase(string masterConnectionString, string name, string connectionString)
    {
        _masterConnectionString = masterConnectionString;
        _name = name;
        Options = new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString };
    }

    public DatabaseOptions Options { get; }

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : null;

    /// <summary>Why SQL Server tests are skipped, or null when they run.</summary>
    public static string? SkipReason => ServerConnectionString is null
        ? $"SQL Server tests skipped: env {EnvironmentVariable} is not set (a server connection string; the tests create and drop their own databases)."
        : null;

    public static async Task<SqlServerTestDatabase> CreateAsync()
    {
        var server = ServerConnectionString ?? throw new InvalidOperationException($"env {EnvironmentVariable} is not set.");
        var master = new SqlConnectionStringBuilder(server) { InitialCatalog = "master", Pooling = false }.ConnectionString;
        var name = $"exit_test_{Guid.NewGuid():N}";
        await using (var connection = new SqlConnection(master))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE [{name}]";
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        return new SqlServerTestDatabase(master, name, cs);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var c = new SqlConnection(Options.ConnectionString)) SqlConnection.ClearPool(c);
        await using var connection = new SqlConnection(_masterConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"IF DB_ID(N'{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END";
        await cmd.ExecuteNonQueryAsync();
    }
}
