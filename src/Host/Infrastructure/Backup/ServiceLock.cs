using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Backup;

/// <summary>
/// While the service runs on a SQLite file it holds an exclusive lock on a file beside it (<c>exit.db.service-lock</c>),
/// so <c>restore</c> can tell that the database is in use and refuse instead of swapping the file under a running
/// service. The lock is the operating system's (released when the process ends, even by a crash); the file itself
/// is only its handle.
/// </summary>
public sealed class ServiceLock : IDisposable
{
    private readonly FileStream _stream;

    private ServiceLock(FileStream stream) => _stream = stream;

    public static string PathFor(string databaseFile) => databaseFile + ".service-lock";

    /// <summary>The lock, or null when someone else holds it.</summary>
    public static ServiceLock? TryAcquire(string databaseFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databaseFile))!);
        try
        {
            return new ServiceLock(new FileStream(PathFor(databaseFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>Holds the <see cref="ServiceLock"/> from start-up (before the stores migrate) until the host has stopped.</summary>
public sealed class ServiceLockHost(DatabaseOptions database, ILogger<ServiceLockHost> logger) : IHostedService, IDisposable
{
    private ServiceLock? _held;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite) return Task.CompletedTask;
        var file = SqliteBackup.DataSource(database.ConnectionString);
        _held = ServiceLock.TryAcquire(file);
        // Two services on one SQLite file are allowed as before (SQLite serialises them); only restore needs the lock.
        if (_held is null) logger.LogWarning("Another process holds the service lock of this database; restore cannot tell when this one runs");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _held?.Dispose();

    public static void Register(IServiceCollection services, DatabaseOptions database) =>
        services.AddHostedService(sp => new ServiceLockHost(database, sp.GetRequiredService<ILogger<ServiceLockHost>>()));
}
