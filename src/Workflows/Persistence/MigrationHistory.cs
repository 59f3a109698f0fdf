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
        await database.MigrateAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of <see cref="MigrateWithoutProbeErrorAsync"/>, for a caller that asks EF about pending migrations
    /// before it migrates (that question reads the history table too, and logs the same error on a fresh database).
    /// </summary>
    public static async Task CreateHistoryTableIfMissingAsync(this DatabaseFacade database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsNpgsql()) return;
        var script = database.GetService<IHistoryRepository>().GetCreateIfNotExistsScript();
        var connection = database.GetDbConnection();
        await database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
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
}
