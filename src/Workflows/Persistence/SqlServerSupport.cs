namespace Exit.Workflows.Persistence;

/// <summary>
/// What the service still lacks on SQL Server. The provider switch, the migrations of every context and Quartz's job
/// store are there; the hand-written SQL below speaks only SQLite's and PostgreSQL's dialects. Rather than run it on SQL
/// Server and fail (or, worse, half-work) on the first commit, the durable store refuses to be composed on SQL Server
/// while anything is listed here, and says what. Remove an entry only with its SQL Server variant and a test of it.
/// </summary>
public static class SqlServerSupport
{
    /// <summary>Each hand-written SQL path with no SQL Server variant yet, and what SQL Server needs instead.</summary>
    public static IReadOnlyList<string> Missing { get; } =
    [
        "the group-commit writer of workflow instances (InstanceCommitWriter.Statements: INSERT ... ON CONFLICT (id) DO NOTHING " +
        "and SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT; SQL Server needs INSERT ... WHERE NOT EXISTS under " +
        "UPDLOCK, SAVE TRANSACTION / ROLLBACK TRANSACTION and no release)",
    ];

    /// <summary>Throws <see cref="NotSupportedException"/> naming every missing path when <paramref name="provider"/> is SQL Server.</summary>
    public static void ThrowIfIncomplete(DatabaseProvider provider)
    {
        if (provider != DatabaseProvider.SqlServer || Missing.Count == 0) return;
        throw new NotSupportedException(
            "Exit:Database:Provider SqlServer: the schema and the provider switch are ready, but these parts have no SQL Server " +
            "variant yet, so the service does not start on SQL Server:\n - " + string.Join("\n - ", Missing) +
            "\nUse Sqlite or Postgres (README, \"SQL Server\").");
    }
}
