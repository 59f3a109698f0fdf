namespace Exit.Workflows.Persistence;

/// <summary>
/// What the service still lacks on SQL Server, if anything: hand-written SQL that speaks only SQLite's and PostgreSQL's
/// dialects. Rather than run it on SQL Server and fail (or, worse, half-work) on the first commit, the durable store
/// refuses to be composed on SQL Server while anything is listed here, and says what. Add an entry for any new raw SQL
/// path without a SQL Server variant; remove it only with its variant and a test of it (SqlServerStatementTests).
/// </summary>
public static class SqlServerSupport
{
    /// <summary>Each hand-written SQL path with no SQL Server variant yet, and what SQL Server needs instead.</summary>
    /// <remarks>
    /// Empty since the group-commit writer got its T-SQL (InstanceCommitWriter.SqlServer.cs, parsed by
    /// SqlServerStatementTests). What remains PostgreSQL-only is refused where it is switched on, not here: clustering
    /// (the timer and alteration-job claims; TimerServiceCollectionExtensions) and backup/restore (DatabaseCommand).
    /// </remarks>
    public static IReadOnlyList<string> Missing { get; } = [];

    /// <summary>Throws <see cref="NotSupportedException"/> naming every missing path when <paramref name="provider"/> is SQL Server.</summary>
    public static void ThrowIfIncomplete(DatabaseProvider provider) => ThrowIfIncomplete(provider, Missing);

    /// <summary>The check itself, for a given list (tests keep the refusal working while <see cref="Missing"/> is empty).</summary>
    internal static void ThrowIfIncomplete(DatabaseProvider provider, IReadOnlyList<string> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        if (provider != DatabaseProvider.SqlServer || missing.Count == 0) return;
        throw new NotSupportedException(
            "Exit:Database:Provider SqlServer: the schema and the provider switch are ready, but these parts have no SQL Server " +
            "variant yet, so the service does not start on SQL Server:\n - " + string.Join("\n - ", missing) +
            "\nUse Sqlite or Postgres (README, \"SQL Server\").");
    }
}
