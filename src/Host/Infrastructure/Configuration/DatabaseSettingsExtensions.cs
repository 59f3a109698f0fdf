using Exit.Workflows.Persistence;
using Microsoft.Data.Sqlite;

namespace Exit.Host.Infrastructure.Configuration;

public static class DatabaseSettingsExtensions
{
    /// <summary>
    /// Turns the "Exit:Database" settings into runtime options. A relative SQLite path is taken from the
    /// content root and its folder is created, so the first run needs nothing prepared.
    /// </summary>
    public static DatabaseOptions ToDatabaseOptions(this DatabaseSettings settings, string contentRoot)
    {
        if (settings.Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) ||
            settings.Provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                throw new InvalidOperationException("Exit:Database:ConnectionString is required when the provider is Postgres.");
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = PostgresConnectionDefaults.Apply(settings.ConnectionString) };
        }

        if (settings.Provider.Equals("SqlServer", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                throw new InvalidOperationException("Exit:Database:ConnectionString is required when the provider is SqlServer.");
            return new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = settings.ConnectionString };
        }

        if (!settings.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Exit:Database:Provider '{settings.Provider}' is not supported; use Sqlite, Postgres or SqlServer.");

        var connectionString = settings.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = Path.GetFullPath(settings.SqlitePath ?? "data/exit.db", contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        }

        return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = connectionString };
    }
}
