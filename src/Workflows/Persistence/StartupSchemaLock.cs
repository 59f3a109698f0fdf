using Npgsql;

namespace Exit.Workflows.Persistence;

/// <summary>
/// PostgreSQL only: one host at a time does the start-up schema work (migrations of every store, Quartz's tables, the
/// definitions folder and the municipalities' template adoption). Hosts started at the same instant on a fresh
/// database would otherwise each find the definitions missing and import them, one version each, or race on
/// <c>CREATE TABLE</c>. A session-level advisory lock on a connection of its own: the next host waits, then finds the
/// work done (every step is a no-op on a database that has it). A host that dies holding it releases it with its
/// connection. SQLite (one host per file) takes no lock.
/// </summary>
public sealed class StartupSchemaLock : IAsyncDisposable
{
    /// <summary>The lock's key among the database's advisory locks ("exit_sta" as eight bytes); no other code uses it.</summary>
    public const long Key = 0x657869745F737461;

    private readonly NpgsqlConnection? _connection;

    private StartupSchemaLock(NpgsqlConnection? connection) => _connection = connection;

    public static async Task<StartupSchemaLock> AcquireAsync(DatabaseOptions database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseProvider.Postgres) return new StartupSchemaLock(null);
        // Unpooled: closing it ends the session, so the lock is gone even if the unlock below fails (pooled connections
        // are not reset on reuse, see PostgresConnectionDefaults).
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            // No command timeout: the host before may take as long as its migrations take.
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
        // Closing the session releases its advisory locks; the unlock first says so explicitly.
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
