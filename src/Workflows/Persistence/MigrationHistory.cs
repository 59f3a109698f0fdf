using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Exit.Workflows.Persistence;

/// <summary>Runs migrations without EF's spurious error on a fresh PostgreSQL database.</summary>
public static class MigrationHistory
{
    /// <summary>
    /// Creates the migrations history table first when it is missing (PostgreSQL), then migrates. Npgsql's history
    /// repository reports the table as always there and catches the "relation does not exist" of its first read, which
    /// EF still logs as a failed command (<c>fail: Microsoft.EntityFrameworkCore.Database.Command[20102]</c>) on every
    /// fresh database (npgsql/efcore.pg#3407): an error line an operator would chase for nothing. The provider's own
    /// <c>CREATE TABLE IF NOT EXISTS</c> makes that read succeed. SQLite checks for the table properly and is left alone.
    /// </summary>
    public static async Task MigrateWithoutProbeErrorAsync(this DatabaseFacade database, CancellationToken ct)
    {
        await database.CreateHistoryTableIfMissingAsync(ct).ConfigureAwait(false);
        // Nothing to apply: EF is not asked to migrate, since on PostgreSQL it would still send CREATE TABLE IF NOT EXISTS
        // for its history table, which a service role without CREATE on the schema (README, "Audit chain") is refused.
        if (database.IsNpgsql() && !(await database.GetPendingMigrationsAsync(ct).ConfigureAwait(false)).Any()) return;
        await database.MigrateAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of <see cref="MigrateWithoutProbeErrorAsync"/>, for a caller that asks EF about pending migrations
    /// before it migrates (that question reads the history table too, and logs the same error on a fresh database).
    /// A table already there is looked up, not created again: PostgreSQL checks the right to create in the schema before
    /// it sees that the table exists, and refuses <c>CREATE TABLE IF NOT EXISTS</c> to a role without it.
    /// </summary>
    public static async Task CreateHistoryTableIfMissingAsync(this DatabaseFacade database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsNpgsql()) return;
        var script = database.GetService<IHistoryRepository>().GetCreateIfNotExistsScript();
        var options = RelationalOptionsExtension.Extract(database.GetService<IDbContextOptions>());
        var table = Quoted(options.MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName);
        if (options.MigrationsHistoryTableSchema is { } schema) table = Quoted(schema) + "." + table;
        var connection = database.GetDbConnection();
        await database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            await using (var probe = connection.CreateCommand())
            {
                probe.CommandText = "SELECT to_regclass(@table) IS NOT NULL";
                probe.AddParameter("@table", table);
                if (await probe.ExecuteScalarAsync(ct).ConfigureAwait(false) is true) return;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another process created it at the same moment (CREATE TABLE IF NOT EXISTS is not atomic in PostgreSQL).
        }
        finally
        {
            await database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
