using System.Data.Common;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Exit.Workflows.Persistence;

/// <summary>
/// PostgreSQL and SQL Server: one host at a time does the start-up schema work (migrations of every store, Quartz's
/// tables, the definitions folder and the municipalities' template adoption). Hosts started at the same instant on a
/// fresh database would otherwise each find the definitions missing and import them, one version each, or race on
/// <c>CREATE TABLE</c>. A session-level lock on a connection of its own (PostgreSQL's advisory lock, SQL Server's
/// <c>sp_getapplock</c> owned by the session): the next host waits, then finds the work done (every step is a no-op on a
/// database that has it). A host that dies holding it releases it with its connection. SQLite (one host per file)
/// takes no lock.
/// </summary>
public sealed class StartupSchemaLock : IAsyncDisposable
{
    /// <summary>The lock's key among the database's advisory locks ("exit_sta" as eight bytes); no other code uses it.</summary>
    public const long Key = 0x657869745F737461;

    /// <summary>SQL Server: the application lock's resource name; no other code uses it.</summary>
    public const string SqlServerResource = "exit_startup_schema";

    /// <summary>Waits without limit (the host before may take as long as its migrations take); a refusal is an error.</summary>
    internal const string SqlServerAcquireSql =
        "DECLARE @result int;\n" +
        "EXEC @result = sp_getapplock @Resource = @lock_resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;\n" +
        "IF @result < 0 THROW 51000, N'sp_getapplock refused the start-up schema lock.', 1;";

    internal const string SqlServerReleaseSql = "EXEC sp_releaseapplock @Resource = @lock_resource, @LockOwner = N'Session';";

    private readonly DbConnection? _connection;

    private StartupSchemaLock(DbConnection? connection) => _connection = connection;

    public static async Task<StartupSchemaLock> AcquireAsync(DatabaseOptions database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        DbConnection connection;
        DbCommand command;
        switch (database.Provider)
        {
            // Unpooled on both: closing the connection ends the session, so the lock is gone even if the unlock fails (a
            // pooled connection's session outlives its Dispose; PostgreSQL's are not even reset on reuse, see
            // PostgresConnectionDefaults).
            case DatabaseProvider.Postgres:
                connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
                command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", (NpgsqlConnection)connection);
                command.AddParameter("key", Key);
                break;
            case DatabaseProvider.SqlServer:
                connection = new SqlConnection(new SqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
                command = new SqlCommand(SqlServerAcquireSql, (SqlConnection)connection);
                command.AddParameter("@lock_resource", SqlServerResource);
                break;
            default:
                return new StartupSchemaLock(null);
        }
        try
        {
            await using (command)
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                // No command timeout: the host before may take as long as its migrations take.
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return new StartupSchemaLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        // Closing the session releases its locks; the unlock first says so explicitly.
        try
        {
            await using var command = _connection.CreateCommand();
            if (_connection is SqlConnection)
            {
                command.CommandText = SqlServerReleaseSql;
                command.AddParameter("@lock_resource", SqlServerResource);
            }
            else
            {
                command.CommandText = "SELECT pg_advisory_unlock(@key)";
                command.AddParameter("key", Key);
            }
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
