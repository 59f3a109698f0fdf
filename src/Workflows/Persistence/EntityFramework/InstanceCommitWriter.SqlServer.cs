using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Exit.Workflows.Persistence.EntityFramework;

// SQL Server's side of the commit writer, kept apart from the SQLite/PostgreSQL statements it shares most SQL with.
// Where T-SQL differs:
// - insert-if-absent: no ON CONFLICT; an INSERT ... SELECT guarded by NOT EXISTS under UPDLOCK, HOLDLOCK (a key-range
//   lock on the id, so two writers inserting the same id serialise and the second inserts nothing). A duplicate that
//   still gets through (another path, another isolation) fails with 2627/2601 and is mapped to the same conflict.
// - savepoints: SAVE TRANSACTION / ROLLBACK TRANSACTION name; there is no release (a name may be saved again: a rollback
//   goes to the latest save of that name, which is the current commit's).
// - one statement per command, no DbBatch: the commits of a group take the sequential path, as on SQLite. It is the path
//   whose error handling needs nothing from the provider (which command of a batch failed, its rows affected).
// The update with version check, the bookmark delete/insert and the multi-row journal insert are plain SQL that T-SQL
// reads as is ("quoted" names: SqlClient connections run with QUOTED_IDENTIFIER ON). The journal insert binds
// JournalRowsPerInsert x 15 parameters, far below SQL Server's 2,100 per statement; SqlServerStatementTests checks both.
internal sealed partial class InstanceCommitWriter
{
    private sealed partial class Statements
    {
        private const string SqlServerSavepointSql = "SAVE TRANSACTION exit_commit";

        private const string SqlServerRollbackToSavepointSql = "ROLLBACK TRANSACTION exit_commit";

        /// <summary>
        /// The same columns and parameters as the portable insert, bound by the same code. Built when asked (once per
        /// writer session): static fields of partial files initialise in no defined order.
        /// </summary>
        private static string SqlServerInsertInstanceSql =>
            "INSERT INTO \"wf_instances\" (" + string.Join(", ", InsertInstanceParameters.Select(p => $"\"{p.Item1}\"")) + ") " +
            "SELECT " + string.Join(", ", InsertInstanceParameters.Select(p => "@" + p.Item1)) + " " +
            "WHERE NOT EXISTS (SELECT 1 FROM \"wf_instances\" WITH (UPDLOCK, HOLDLOCK) WHERE \"id\" = @id)";

        private static bool IsSqlServer(DbConnection connection) => connection is SqlConnection;

        /// <summary>Every statement the writer sends on SQL Server, with its parameter count.</summary>
        public static IReadOnlyList<SqlServerStatement> SqlServerStatements()
        {
            var all = new List<SqlServerStatement>
            {
                new("insert instance", SqlServerInsertInstanceSql, InsertInstanceParameters.Length),
                new("update instance", UpdateInstanceSql, UpdateInstanceParameters.Length),
                new("delete bookmark", DeleteBookmarkSql, DeleteBookmarkParameters.Length),
                new("insert bookmark", InsertBookmarkSql, InsertBookmarkParameters.Length),
                new("savepoint", SqlServerSavepointSql, 0),
                new("rollback to savepoint", SqlServerRollbackToSavepointSql, 0),
            };
            for (var rows = 1; rows <= JournalRowsPerInsert; rows++)
                all.Add(new($"insert {rows} journal row(s)", JournalInserts[rows].Sql, JournalInserts[rows].Parameters.Length));
            return all;
        }
    }

    /// <summary>A statement of the writer on SQL Server (for the T-SQL parse test: no engine here).</summary>
    internal sealed record SqlServerStatement(string Name, string Sql, int ParameterCount);

    /// <inheritdoc cref="Statements.SqlServerStatements"/>
    internal static IReadOnlyList<SqlServerStatement> SqlServerStatements() => Statements.SqlServerStatements();

    /// <summary>SQL Server's unique-key violations (2627 constraint, 2601 unique index) are the other providers' conflicts.</summary>
    private static Exception TranslateSqlServer(Exception ex) => ex switch
    {
        SqlException { Number: 2627 or 2601 } sql
            => new ConcurrencyConflictException($"A row of this commit already exists: {sql.Message}"),
        _ => ex,
    };
}
