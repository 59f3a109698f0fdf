using Exit.Workflows.Persistence;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// PostgreSQL only: creates Quartz's tables before Quartz starts when the database has none, with the script Quartz
/// itself would run (<c>SchemaProvisioning.CreateIfMissing</c>, embedded in Quartz.dll). Quartz's own provisioning first
/// probes for an older schema inside one transaction; on a fresh database the first probe fails, PostgreSQL aborts the
/// transaction, and the server logs some 25 "current transaction is aborted" errors before Quartz starts over. Creating
/// the tables first leaves Quartz's check nothing to fail on; with the tables there this is one catalogue lookup.
/// Then it makes sure the scheduler's two lock rows exist (committed) before Quartz takes its first lock: without them
/// Quartz's lock handler inserts the row inside the transaction that wants the lock, and hosts started together on a
/// fresh database raced there (a clustered test host once waited on another's uncommitted lock row until its stop hung).
/// </summary>
/// <param name="connectionString">The database.</param>
/// <param name="schedulerName">Quartz's scheduler name (<c>SchedulingOptions.SchedulerName</c>): the lock rows are per scheduler.</param>
/// <param name="underStartupLock">Run by <c>WorkflowStartup</c> as a store migration, which already holds the
/// <see cref="StartupSchemaLock"/> (taking it again from this connection would wait for this very host).</param>
internal sealed class PostgresQuartzSchema(string connectionString, string schedulerName, bool underStartupLock = false) : IHostedService
{
    /// <summary>Quartz's default table prefix, which <c>AddExitTimers</c> keeps.</summary>
    private const string TablePrefix = "qrtz_";

    /// <summary>Quartz's lock names (<c>SchedulerLock.TriggerAccess</c>, <c>SchedulerLock.StateAccess</c>).</summary>
    private static readonly string[] LockNames = ["TRIGGER_ACCESS", "STATE_ACCESS"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await CreateTablesAsync(connection, cancellationToken).ConfigureAwait(false);
        // Its own statement (autocommit): the rows are visible to every host as soon as it returns.
        await using var locks = new NpgsqlCommand(
            $"INSERT INTO {TablePrefix}locks (sched_name, lock_name) SELECT @name, unnest(@locks) ON CONFLICT DO NOTHING", connection);
        locks.Parameters.AddWithValue("name", schedulerName);
        locks.Parameters.AddWithValue("locks", LockNames);
        try
        {
            await locks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The tables were not created here (see below): Quartz's provisioning creates them, and its lock handler
            // inserts the rows itself, as it did before this existed.
        }
    }

    private async Task CreateTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var probe = new NpgsqlCommand($"SELECT to_regclass('{TablePrefix}job_details') IS NOT NULL", connection))
        {
            if (await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true) return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Hosts started together: one creates the tables, the others wait here and then find them.
            if (!underStartupLock)
            {
                await using var exclusive = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({StartupSchemaLock.Key})", connection, transaction);
                exclusive.CommandTimeout = 0;
                await exclusive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var again = new NpgsqlCommand($"SELECT to_regclass('{TablePrefix}job_details') IS NOT NULL", connection, transaction))
            {
                if (await again.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true) return;
            }
            foreach (var statement in Statements())
            {
                await using var command = new NpgsqlCommand(statement, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            // Most likely another host created them at the same moment. Nothing is lost either way: Quartz's own
            // provisioning (CreateIfMissing) runs next and creates whatever is missing, as it did before this existed.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The statements of Quartz's embedded PostgreSQL script, separated by lines reading <c>--;;</c>.</summary>
    private static IEnumerable<string> Statements()
    {
        var assembly = typeof(IScheduler).Assembly;
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(".create_postgres.sql", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException("Quartz.dll carries no create_postgres.sql; its schema can only be created by Quartz itself.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // {0}: the prefix (may carry a schema), {1}: the prefix without one (index and constraint names); ours has none.
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        foreach (var part in script.Split("\n--;;", StringSplitOptions.None))
        {
            var sql = string.Join('\n', part.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
            if (sql.Length > 0) yield return sql;
        }
    }
}
