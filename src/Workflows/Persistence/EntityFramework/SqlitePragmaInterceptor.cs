using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Runs the SQLite PRAGMAs every connection to the shared file needs, each time one is opened:
/// a busy timeout (Quartz and other contexts write the same file), WAL (readers don't block the writer) and
/// synchronous=FULL (the WAL is fsynced on every commit, so an acknowledged commit survives a power cut).
/// </summary>
public sealed class SqlitePragmaInterceptor(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _sql = string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = _sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
