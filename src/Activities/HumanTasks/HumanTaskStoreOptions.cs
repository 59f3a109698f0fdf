using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Exit.Activities.HumanTasks;

/// <summary>Where task records live. Normally the same database as the workflow instances.</summary>
public sealed class HumanTaskStoreOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "";
}

/// <summary>
/// Makes <see cref="TaskDbContext"/>s: standalone ones on their own connection (queries, reassignment, migration)
/// and ones enlisted in a runtime commit's connection and transaction. Options are built once.
/// </summary>
public sealed class TaskDbContextFactory
{
    private readonly HumanTaskStoreOptions _options;
    private readonly Lazy<PooledDbContextFactory<TaskDbContext>> _standalone;
    private readonly Lazy<PooledDbContextFactory<TaskDbContext>> _sqliteEnlisted;
    private readonly Lazy<PooledDbContextFactory<TaskDbContext>> _postgresEnlisted;

    public TaskDbContextFactory(HumanTaskStoreOptions options)
    {
        _options = options;
        // Pooled: a fresh DbContext per commit costs far more than the one UPDATE it runs.
        _standalone = new(() => new(Build(options.Provider, options.ConnectionString)));
        _sqliteEnlisted = new(() => new(Build(DatabaseProvider.Sqlite, null)));
        _postgresEnlisted = new(() => new(Build(DatabaseProvider.Postgres, null)));
    }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>A context on its own connection (from the pool); dispose it to return it.</summary>
    public TaskDbContext Create() => _standalone.Value.CreateDbContext();

    /// <summary>A context on the commit's connection, enlisted in its transaction. Never commits or rolls back.</summary>
    public async Task<TaskDbContext> CreateEnlistedAsync(CommitContext commit, CancellationToken ct)
    {
        var pool = commit.Provider == DatabaseProvider.Sqlite ? _sqliteEnlisted.Value : _postgresEnlisted.Value;
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

    private static DbContextOptions<TaskDbContext> Build(DatabaseProvider provider, string? connectionString)
    {
        var builder = new DbContextOptionsBuilder<TaskDbContext>();
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        switch (provider)
        {
            case DatabaseProvider.Sqlite when connectionString is null:
                builder.UseSqlite(o => o.MigrationsHistoryTable(TaskDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(TaskDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Postgres when connectionString is null:
                builder.UseNpgsql(o => o.MigrationsHistoryTable(TaskDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(TaskDbContext.MigrationsHistoryTable));
                break;
            default:
                throw new NotSupportedException($"Provider {provider} is not supported by the task store.");
        }

        return builder.Options;
    }
}
