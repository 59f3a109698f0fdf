using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Persistence;

public static class DatabaseOptionsExtensions
{
    /// <summary>
    /// Configures the provider for <paramref name="options"/>. Migrations live in this assembly and are hand-written,
    /// so there is no model snapshot: the pending-model-changes check is off and a test compares the migrated schema
    /// with the model instead.
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
            default:
                throw new NotSupportedException($"Database provider {options.Provider} is not supported.");
        }
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        // Rows added through EF get the tenant in scope; a change to another tenant's row is refused.
        builder.AddInterceptors(TenantStampingInterceptor.Instance);
        return builder;
    }
}
