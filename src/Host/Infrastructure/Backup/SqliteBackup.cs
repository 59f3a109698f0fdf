using System.Diagnostics;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.Data.Sqlite;

namespace Exit.Host.Infrastructure.Backup;

/// <summary>
/// Online backup and offline restore of the SQLite file with SQLite's backup API
/// (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>, one <c>sqlite3_backup_step(-1)</c>): the copy is
/// taken inside one read transaction, so it is the database as of one commit, while the service keeps writing
/// (WAL: readers do not block the writer). Everything lives in the one file (workflow state, tasks, CTI, users, audit,
/// Quartz triggers), so one backup is consistent across all of them.
/// </summary>
public static class SqliteBackup
{
    public sealed record BackupResult(long Bytes, TimeSpan Elapsed);

    public sealed record RestoreResult(string Database, string? Previous);

    /// <summary>Tables a database of this service has from its first migration; a file without them is not a backup of it.</summary>
    private static readonly string[] RequiredTables = [WorkflowDbContext.InstancesTable, WorkflowDbContext.BookmarksTable, "HumanTasks", "QRTZ_TRIGGERS"];

    public static async Task<BackupResult> BackupAsync(string connectionString, string target, CancellationToken ct)
    {
        var source = DataSource(connectionString);
        if (!File.Exists(source)) throw new BackupRefusedException($"there is no database at {source}.");
        if (File.Exists(target)) throw new BackupRefusedException($"{target} exists; a backup never overwrites a file.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        var started = Stopwatch.GetTimestamp();
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            await using (var from = await OpenAsync(source, SqliteOpenMode.ReadOnly, ct))
            await using (var to = await OpenAsync(partial, SqliteOpenMode.ReadWriteCreate, ct))
            {
                // Waits for the writer's lock at most this long between its commits (busy handler), then copies in one step.
                await ExecuteAsync(from, "PRAGMA busy_timeout = 30000", ct);
                from.BackupDatabase(to);
                // A single file that opens without its -wal: the copy is switched to rollback journaling.
                await ExecuteAsync(to, "PRAGMA journal_mode = DELETE", ct);
            }
            await ValidateAsync(partial, ct);
            File.Move(partial, target);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(partial);
        }
        return new BackupResult(new FileInfo(target).Length, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Puts <paramref name="backup"/> in place of the database: validated first (integrity check, this service's tables),
    /// refused while a service holds the database (<see cref="ServiceLock"/>). The replaced file is kept beside it.
    /// </summary>
    public static async Task<RestoreResult> RestoreAsync(string connectionString, string backup, CancellationToken ct)
    {
        var database = DataSource(connectionString);
        if (!File.Exists(backup)) throw new BackupRefusedException($"there is no file {backup}.");
        await ValidateAsync(backup, ct);

        using var held = ServiceLock.TryAcquire(database)
                         ?? throw new BackupRefusedException($"the service is running on {database} (it holds {ServiceLock.PathFor(database)}); stop it first.");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var incoming = database + ".restoring";
        File.Copy(backup, incoming, overwrite: true);
        string? previous = null;
        if (File.Exists(database))
        {
            // A stopped service checkpointed its WAL; whatever is still in -wal belongs to the file being replaced, so
            // it is folded in there (kept) and must not be applied to the restored file.
            await using (var old = await OpenAsync(database, SqliteOpenMode.ReadWrite, ct))
                await ExecuteAsync(old, "PRAGMA wal_checkpoint(TRUNCATE)", ct);
            SqliteConnection.ClearAllPools();
            previous = $"{database}.before-restore-{DateTime.UtcNow:yyyyMMddHHmmss}";
            File.Move(database, previous);
        }
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" }) File.Delete(database + suffix);
        File.Move(incoming, database);
        return new RestoreResult(database, previous);
    }

    /// <summary>Refuses a file that is not an intact SQLite database of this service.</summary>
    public static async Task ValidateAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(file, SqliteOpenMode.ReadOnly, ct);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync(ct);
            if (result != "ok") throw new BackupRefusedException($"{file} failed SQLite's integrity check: {result}.");
            foreach (var table in RequiredTables)
            {
                await using var exists = connection.CreateCommand();
                exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
                exists.Parameters.AddWithValue("$name", table);
                if ((long)(await exists.ExecuteScalarAsync(ct))! == 0)
                    throw new BackupRefusedException($"{file} is not a database of this service (no table {table}).");
            }
        }
        catch (SqliteException e)
        {
            throw new BackupRefusedException($"{file} is not a readable SQLite database ({e.Message}).");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    public static string DataSource(string connectionString) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    private static async Task<SqliteConnection> OpenAsync(string path, SqliteOpenMode mode, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
