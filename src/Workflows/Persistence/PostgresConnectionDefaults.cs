using System.Data.Common;
using Npgsql;

namespace Exit.Workflows.Persistence;

/// <summary>
/// Npgsql settings the service runs PostgreSQL with unless the connection string names them itself (an operator's
/// explicit value always wins). Measured with the cluster bench (<c>docs/performance.md</c>, "Issue 11: what a request
/// costs on PostgreSQL"): a request opens a pooled connection three times or more (API key, definition, commit), and each
/// open after a close sent <c>DISCARD ALL</c> — one more transaction on the server every time — and every statement was
/// parsed and planned afresh.
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>Statements kept prepared per physical connection: the request and commit paths use a few dozen.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: no <c>DISCARD ALL</c> when a pooled connection is opened again. Nothing here leaves
    /// session state on a pooled connection: advisory locks are transaction-scoped (<c>pg_advisory_xact_lock</c>) except
    /// the start-up lock, which has an unpooled connection of its own; <c>LISTEN</c> runs on unpooled connections; no
    /// <c>SET</c> outside <c>SET LOCAL</c>, no temporary tables.</item>
    /// <item><c>Max Auto Prepare</c>: statements run again and again (every EF query and the writer's commands) are prepared
    /// once per physical connection, so the server parses and plans them once.</item>
    /// </list>
    /// </summary>
    public static string Apply(string connectionString)
    {
        // The keywords as written (Npgsql's builder cannot tell a default from an explicit value); spaces and case aside.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!written.Contains("MaxAutoPrepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        return builder.ConnectionString;
    }
}
