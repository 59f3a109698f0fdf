using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Persistence;

public static class DatabaseOptionsExtensions
{
    /// <summary>
    /// Configures the provider for <paramref name="options"/>. Migrations live in this assembly. The SQLite/PostgreSQL set
    /// is hand-written, so there is no model snapshot: the pending-model-changes check is off and a test compares the
    /// migrated schema with the model instead (SQL Server's generated set has a snapshot; a test checks it against the model).
    /// </summary>
    public static DbContextOptionsBuilder UseExitDatabase(this DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = typeof(WorkflowDbContext).Assembly.GetName().Name;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString, o => o.MigrationsAssembly(assembly));
                builder.AddInterceptors(new SqlitePragmaInterceptor(options.BusyTimeout, manualCheckpoints: options.SqliteCheckpointEvery > 0));
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString, o => o.MigrationsAssembly(assembly));
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(options.ConnectionString, o => o.MigrationsAssembly(assembly));
                break;
            default:
                throw new NotSupportedException($"Database provider {options.Provider} is not supported.");
        }
        // Each provider runs only its own migration set (SQL Server's is generated, with a snapshot).
        ProviderMigrationsAssembly.UseProviderMigrationSet(builder);
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        // Rows added through EF get the tenant in scope; a change to another tenant's row is refused.
        builder.AddInterceptors(TenantStampingInterceptor.Instance);
        return builder;
    }
}
