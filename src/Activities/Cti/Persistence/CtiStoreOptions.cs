using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Persistence;

/// <summary>Where the CTI tables live. Normally the same database as the workflow instances and tasks.</summary>
public sealed class CtiStoreOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "";
}

/// <summary>Makes <see cref="CtiDbContext"/>s: standalone ones, and ones enlisted in a runtime commit.</summary>
public sealed class CtiDbContextFactory
{
    private readonly CtiStoreOptions _options;
    private readonly Lazy<DbContextOptions<CtiDbContext>> _standalone;
    private readonly Lazy<DbContextOptions<CtiDbContext>> _sqliteEnlisted;
    private readonly Lazy<DbContextOptions<CtiDbContext>> _postgresEnlisted;

    public CtiDbContextFactory(CtiStoreOptions options)
    {
        _options = options;
        _standalone = new(() => Build(options.Provider, options.ConnectionString));
        _sqliteEnlisted = new(() => Build(DatabaseProvider.Sqlite, null));
        _postgresEnlisted = new(() => Build(DatabaseProvider.Postgres, null));
    }

    public DatabaseProvider Provider => _options.Provider;

    public CtiDbContext Create() => new(_standalone.Value);

    /// <summary>A context on the commit's connection, enlisted in its transaction. Never commits or rolls back.</summary>
    public async Task<CtiDbContext> CreateEnlistedAsync(CommitContext commit, CancellationToken ct)
    {
        var options = commit.Provider == DatabaseProvider.Sqlite ? _sqliteEnlisted.Value : _postgresEnlisted.Value;
        var db = new CtiDbContext(options);
        db.Database.SetDbConnection(commit.Connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(commit.Transaction, ct);
        db.Database.AutoSavepointsEnabled = false;
        return db;
    }

    private static DbContextOptions<CtiDbContext> Build(DatabaseProvider provider, string? connectionString)
    {
        var builder = new DbContextOptionsBuilder<CtiDbContext>();
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        switch (provider)
        {
            case DatabaseProvider.Sqlite when connectionString is null:
                builder.UseSqlite(o => o.MigrationsHistoryTable(CtiDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(CtiDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Postgres when connectionString is null:
                builder.UseNpgsql(o => o.MigrationsHistoryTable(CtiDbContext.MigrationsHistoryTable));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(CtiDbContext.MigrationsHistoryTable));
                break;
            default:
                throw new NotSupportedException($"Provider {provider} is not supported by the CTI store.");
        }

        return builder.Options;
    }
}
