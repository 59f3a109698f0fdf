using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// The ADO.NET factory Quartz uses for SQLite: Microsoft.Data.Sqlite connections that set the pragmas Quartz
/// needs to share one database file with EF Core.
/// </summary>
/// <remarks>
/// <para>
/// Quartz 4.7.3 reaches SQLite only through a <see cref="DbProviderFactory"/> (<c>UseSqlite(factory, cs)</c>): it
/// asks it for a connection, sets the connection string, opens it, and begins a transaction which it forces
/// to serializable on SQLite (Microsoft.Data.Sqlite then issues <c>BEGIN IMMEDIATE</c>, taking the write lock
/// up front instead of failing to upgrade a read lock). In-process, Quartz serializes all its own store
/// operations (<c>SqliteLockHandler</c>), so the only writer it can meet is EF in the same or another process.
/// </para>
/// <list type="bullet">
/// <item><description><c>journal_mode=WAL</c>, set once per file (it is persistent): readers never block the writer
/// and the writer never blocks readers, so Quartz polling and EF reads of the same file do not collide.</description></item>
/// <item><description><c>busy_timeout</c> on every open: a writer that meets another writer's lock waits in SQLite
/// (which sleeps and retries) instead of failing with SQLITE_BUSY at once. Microsoft.Data.Sqlite also retries
/// BUSY/LOCKED up to the command timeout (<c>Default Timeout</c>, 30 s), which covers its implicit
/// <c>BEGIN</c>; both are set so that neither layer gives up first.</description></item>
/// <item><description><c>Pooling=True</c>: opening is then cheap, and the pragma is a single statement per open.</description></item>
/// </list>
/// <para>
/// <c>synchronous</c> is left at SQLite's default (FULL). NORMAL measured no faster here, and a pragma set on a
/// pooled handle would follow it to an EF connection that happened to use the same connection string.
/// A <c>busy_timeout</c> that travels that way is harmless.
/// </para>
/// </remarks>
public sealed class SqliteTimerConnectionFactory : DbProviderFactory
{
    private readonly int busyTimeoutMs;
    private readonly string openPragmas;
    private readonly Lock walGate = new();
    private bool walChecked;

    public SqliteTimerConnectionFactory(TimeSpan busyTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeout, TimeSpan.Zero);
        busyTimeoutMs = (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds);
        openPragmas = "PRAGMA busy_timeout = " + busyTimeoutMs.ToString(CultureInfo.InvariantCulture) + ";";
    }

    /// <summary>
    /// Normalizes an application connection string for Quartz: keeps the file and options given, and defaults
    /// <c>Pooling=True</c> and <c>Default Timeout=30</c>. In-memory databases are refused: timers must be durable.
    /// </summary>
    public static string NormalizeConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) ||
            builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "Durable timers need a SQLite file ('Data Source=path/to/exit.db'); an in-memory database is not durable.",
                nameof(connectionString));
        }

        if (!connectionString.Contains("pooling", StringComparison.OrdinalIgnoreCase))
        {
            builder.Pooling = true;
        }

        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }

    public override DbConnection CreateConnection() => new PragmaConnection(this);

    public override DbCommand CreateCommand() => new SqliteCommand();

    public override DbParameter CreateParameter() => new SqliteParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new SqliteConnectionStringBuilder();

    private void AfterOpen(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = openPragmas;
        command.ExecuteNonQuery();

        lock (walGate)
        {
            if (walChecked)
            {
                return;
            }

            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Could not switch the SQLite database '{connection.DataSource}' to WAL (journal mode is '{mode}').");
            }

            walChecked = true;
        }
    }

    private sealed class PragmaConnection(SqliteTimerConnectionFactory owner) : SqliteConnection
    {
        public override void Open()
        {
            base.Open();
            owner.AfterOpen(this);
        }

        public override Task OpenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Open();
            return Task.CompletedTask;
        }
    }
}
