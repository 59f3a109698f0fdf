using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Exit.Workflows.Timers.Quartz;

/// <summary>
/// SQL Server only: creates Quartz's tables before Quartz starts when the database has none, with the script Quartz
/// itself would run (<c>SchemaProvisioning.CreateIfMissing</c>, <c>create_sqlServer.sql</c> embedded in Quartz.dll), in
/// one transaction: Quartz's own provisioning then finds a complete schema instead of probing a fresh database (the same
/// reason as <see cref="PostgresQuartzSchema"/>). With the tables there this is one catalogue lookup.
/// </summary>
internal sealed class SqlServerQuartzSchema(string connectionString) : IHostedService
{
    /// <summary>Quartz's default table prefix, which <c>AddExitTimers</c> keeps.</summary>
    internal const string TablePrefix = "QRTZ_";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var probe = new SqlCommand($"SELECT CASE WHEN OBJECT_ID(N'{TablePrefix}JOB_DETAILS', N'U') IS NULL THEN 0 ELSE 1 END", connection))
        {
            if (await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1) return;
        }

        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var statement in Statements())
            {
                await using var command = new SqlCommand(statement, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException)
        {
            // Most likely another host created them at the same moment. Nothing is lost either way: Quartz's own
            // provisioning (CreateIfMissing) runs next and creates whatever is missing.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The statements of Quartz's embedded SQL Server script, separated by lines reading <c>--;;</c>.</summary>
    internal static IEnumerable<string> Statements()
    {
        var assembly = typeof(IScheduler).Assembly;
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(".create_sqlServer.sql", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException("Quartz.dll carries no create_sqlServer.sql; its schema can only be created by Quartz itself.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // {0}: the prefix (may carry a schema), {1}: the prefix without one (index and constraint names); ours has none.
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        foreach (var part in script.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n--;;", StringSplitOptions.None))
        {
            var sql = string.Join('\n', part.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
            if (sql.Length > 0) yield return sql;
        }
    }
}
