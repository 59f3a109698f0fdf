using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Runs the SQLite PRAGMAs every connection to the shared file needs, each time one is opened:
/// a busy timeout (Quartz and other contexts write the same file), WAL (readers don't block the writer) and
/// synchronous=FULL (the WAL is fsynced on every commit, so an acknowledged commit survives a power cut).
/// </summary>
/// <remarks>
/// journal_mode=WAL is persistent in the file, so it is set on the first open only (per interceptor, i.e. per options);
/// the per-connection settings are set on every open. With <paramref name="manualCheckpoints"/> the automatic
/// checkpoint is off: the instance store checkpoints on a background connection instead.
/// </remarks>
public sealed class SqlitePragmaInterceptor(TimeSpan busyTimeout, bool manualCheckpoints = false) : DbConnectionInterceptor
{
    private readonly string _sql = string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous=FULL;{(manualCheckpoints ? " PRAGMA wal_autocheckpoint=0;" : "")}");

    // Pooled SqliteConnections reuse the native handle, and PRAGMAs stay set on it: run them once per handle.
    private readonly ConditionalWeakTable<object, object> _configured = new();
    private int _walSet;

    private string Sql => Volatile.Read(ref _walSet) == 1 ? _sql : _sql + " PRAGMA journal_mode=WAL;";

    private bool AlreadyConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && !_configured.TryAdd(handle, this);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (AlreadyConfigured(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
        Volatile.Write(ref _walSet, 1);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (AlreadyConfigured(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        Volatile.Write(ref _walSet, 1);
    }
}
