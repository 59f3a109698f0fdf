using Microsoft.EntityFrameworkCore;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Exit.Workflows.Persistence.EntityFramework;

/// <summary>
/// Where a module's tables live (tasks, CTI, …): normally the same database as the workflow instances, so the
/// module's rows can be written in the runtime's commit (<see cref="ICommitParticipant"/>).
/// </summary>
public abstract class ModuleStoreOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Extra EF interceptors for the standalone contexts (none in the service). Tests use it to see the SQL a provider
    /// without an engine here (SQL Server) would be sent.
    /// </summary>
    public IReadOnlyList<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> Interceptors { get; set; } = [];
}

/// <summary>
/// Makes a module's <typeparamref name="TContext"/>s: standalone ones on their own connection (queries, commands,
/// migration) and ones enlisted in a runtime commit's connection and transaction. Each module keeps its own migration
/// history table, so modules migrate independently in one database. Options are built once and contexts pooled: a
/// fresh DbContext per commit costs far more than the one or two statements a module runs in it.
/// </summary>
public abstract class ModuleDbContextFactory<TContext> : IDisposable where TContext : DbContext
{
    private readonly ModuleStoreOptions _options;
    private readonly Lazy<PreparedReads?> _reads;
    private readonly Lazy<PooledDbContextFactory<TContext>> _standalone;
    private readonly Dictionary<DatabaseProvider, Lazy<PooledDbContextFactory<TContext>>> _enlisted;

    protected ModuleDbContextFactory(ModuleStoreOptions options, string migrationsHistoryTable)
    {
        _options = options;
        _standalone = new(() => new(Build(options.Provider, options.ConnectionString, migrationsHistoryTable, options.Interceptors)));
        _enlisted = Enum.GetValues<DatabaseProvider>().ToDictionary(
            p => p, p => new Lazy<PooledDbContextFactory<TContext>>(() => new(Build(p, null, migrationsHistoryTable))));
        _reads = new(() => options.Provider == DatabaseProvider.Sqlite ? new PreparedReads(Create) : null);
    }

    /// <summary>
    /// The module's hot reads on open connections with prepared statements: on SQLite only (see <see cref="PreparedReads"/>);
    /// null on the other providers, whose readers use <see cref="Create"/>.
    /// </summary>
    public PreparedReads? Reads => _reads.Value;

    public void Dispose()
    {
        if (_reads.IsValueCreated) _reads.Value?.Dispose();
        GC.SuppressFinalize(this);
    }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>A context on its own connection (from the pool); dispose it to return it.</summary>
    public TContext Create() => _standalone.Value.CreateDbContext();

    /// <summary>A context on the commit's connection, enlisted in its transaction. Never commits or rolls back.</summary>
    public async Task<TContext> CreateEnlistedAsync(CommitContext commit, CancellationToken ct)
    {
        var pool = _enlisted[commit.Provider].Value;
        var db = pool.CreateDbContext();
        try
        {
            db.Database.SetDbConnection(commit.Connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(commit.Transaction, ct);
            // The runtime owns the transaction (possibly a savepoint of a batch): no savepoints of our own.
            db.Database.AutoSavepointsEnabled = false;
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private static DbContextOptions<TContext> Build(
        DatabaseProvider provider, string? connectionString, string historyTable,
        IReadOnlyList<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>? extraInterceptors = null)
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        // Standalone and enlisted contexts alike: new tenant-owned rows get the tenant in scope, and a change to
        // another tenant's row fails (a context without tenant-owned rows is untouched by it).
        builder.AddInterceptors(TenantStampingInterceptor.Instance);
        if (extraInterceptors is { Count: > 0 }) builder.AddInterceptors(extraInterceptors);
        switch (provider)
        {
            case DatabaseProvider.Sqlite when connectionString is null:
                builder.UseSqlite(o => o.MigrationsHistoryTable(historyTable));
                break;
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(historyTable));
                break;
            case DatabaseProvider.Postgres when connectionString is null:
                builder.UseNpgsql(o => o.MigrationsHistoryTable(historyTable));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(historyTable));
                break;
            case DatabaseProvider.SqlServer when connectionString is null:
                builder.UseSqlServer(o => o.MigrationsHistoryTable(historyTable));
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(connectionString, o => o.MigrationsHistoryTable(historyTable));
                break;
            default:
                throw new NotSupportedException($"Provider {provider} is not supported for {typeof(TContext).Name}.");
        }

        // Each provider runs only its own migration set (SQL Server's is generated, with a snapshot).
        ProviderMigrationsAssembly.UseProviderMigrationSet(builder);
        return builder.Options;
    }
}
