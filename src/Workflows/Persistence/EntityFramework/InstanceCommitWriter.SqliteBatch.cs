using System.Text;
using Exit.Workflows.State;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Exit.Workflows.Persistence.EntityFramework;

// SQLite only: a whole batch's rows in a few multi-row statements, bound by position on SQLite's own statement handles.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// Writes the instance rows, bookmarks and journal rows of every commit of a batch at once: all new instances in
    /// multi-row INSERTs, all expected-version updates in multi-row <c>UPDATE … FROM (VALUES …)</c>, all removed bookmarks
    /// in one DELETE per chunk, all new bookmarks and journal rows in multi-row INSERTs. Each statement says how many rows it
    /// must touch; if any touches fewer (a stale version, an instance that already exists, a bookmark already gone or
    /// removed twice in the batch) or fails (a constraint), <see cref="TryApply"/> returns false and the writer rolls the
    /// whole transaction back and applies the batch again commit by commit behind savepoints, as before, so that only the
    /// failing commit's caller fails.
    /// <para>
    /// Why not <c>SqliteCommand</c>: Microsoft.Data.Sqlite binds every parameter by name (a UTF-8 copy of the name and a
    /// linear search of the statement's names per parameter and execution), which grows with the square of a multi-row
    /// statement's parameters. Here the statements are prepared once per writer connection (<c>SQLITE_PREPARE_PERSISTENT</c>)
    /// and values are bound by position. They run on the connection's handle inside the transaction the writer opened.
    /// </para>
    /// <para>
    /// Order: sequential application would interleave commits; here all inserts of instances come first, then all updates
    /// (in one statement per chunk), then deletes, then inserts of bookmarks and journal rows. Every interleaving that
    /// could differ from commit order makes a statement touch fewer rows than expected or fail (two updates of one instance
    /// in a batch match one row; a bookmark added by one commit and removed by a later one is not there to delete), so it
    /// falls back. The participants then run per commit, in commit order, as before.
    /// </para>
    /// </summary>
    private sealed class SqliteBatchStatements(SqliteConnection connection) : IDisposable
    {
        /// <summary>Rows per statement: a chunk is split into these sizes, so each kind has at most seven prepared statements.</summary>
        private static readonly int[] ChunkSizes = [64, 32, 16, 8, 4, 2, 1];

        private static readonly string InsertInstancePrefix =
            "INSERT INTO \"wf_instances\" (\"id\", \"definition_id\", \"definition_version_id\", \"version\", \"correlation_id\", \"name\", " +
            "\"status\", \"sub_status\", \"incident_count\", \"created_at\", \"updated_at\", \"finished_at\", \"concurrency_version\", \"state\", \"tenant_id\") VALUES ";

        // Columns of VALUES are column1…column14 in the order of BindUpdateInstance (the update's parameters).
        private static readonly string UpdateInstancePrefix =
            "UPDATE \"wf_instances\" SET \"definition_version_id\" = v.column1, \"version\" = v.column2, \"correlation_id\" = v.column3, " +
            "\"name\" = v.column4, \"status\" = v.column5, \"sub_status\" = v.column6, \"incident_count\" = v.column7, \"updated_at\" = v.column8, " +
            "\"finished_at\" = v.column9, \"concurrency_version\" = v.column10, \"state\" = v.column11 FROM (VALUES ";

        private const string UpdateInstanceSuffix =
            ") AS v WHERE \"wf_instances\".\"id\" = v.column12 AND \"wf_instances\".\"concurrency_version\" = v.column13 " +
            "AND \"wf_instances\".\"tenant_id\" = v.column14";

        // (id, tenant) IN (SELECT …) rather than IN (VALUES …): this form is planned as key lookups, the other as a scan.
        private const string DeleteBookmarkPrefix =
            "DELETE FROM \"wf_bookmarks\" WHERE (\"id\", \"tenant_id\") IN (SELECT column1, column2 FROM (VALUES ";

        private static readonly string InsertBookmarkPrefix =
            "INSERT INTO \"wf_bookmarks\" (\"id\", \"instance_id\", \"activity_instance_id\", \"activity_node_id\", \"kind\", \"key\", " +
            "\"correlation_id\", \"due_at\", \"created_at\", \"payload\", \"tenant_id\") VALUES ";

        private static readonly string InsertJournalPrefix =
            "INSERT INTO \"wf_journal\" (\"instance_id\", \"sequence\", \"timestamp\", \"activity_instance_id\", \"parent_activity_instance_id\", " +
            "\"activity_id\", \"activity_type\", \"activity_type_version\", \"activity_name\", \"node_id\", \"event_name\", \"message\", " +
            "\"activity_state\", \"payload\", \"tenant_id\") VALUES ";

        private readonly sqlite3_stmt?[,] _statements = new sqlite3_stmt?[5, ChunkSizes.Length];

        private readonly BatchRows _rows = new();

        /// <summary>
        /// Writes the batch's own rows (not the participants'). False: some statement touched fewer rows than its commits
        /// expect, or failed; the caller must roll the transaction back (this leaves statements reset, nothing open).
        /// Every commit must carry its <see cref="PendingCommit.Rows"/>.
        /// </summary>
        public bool TryApply(IReadOnlyList<PendingCommit> batch)
        {
            try
            {
                _rows.Collect(batch);
                for (var kind = 0; kind < BatchRows.KindCount; kind++)
                {
                    if (!Run((RowKind)kind, _rows[(RowKind)kind])) return false;
                }
                return true;
            }
            finally
            {
                _rows.Clear();
            }
        }

        /// <summary>Executes the rows of one kind in chunks; true when every chunk touched all its rows.</summary>
        private bool Run(RowKind kind, List<BatchRow> rows)
        {
            var columns = BatchRows.Columns(kind);
            var done = 0;
            while (done < rows.Count)
            {
                var size = 0;
                while (ChunkSizes[size] > rows.Count - done) size++;
                var chunk = ChunkSizes[size];
                var stmt = _statements[(int)kind, size] ??= Prepare(kind, chunk);
                for (var r = 0; r < chunk; r++)
                {
                    var (values, offset) = rows[done + r];
                    for (var c = 0; c < columns; c++) Bind(stmt, r * columns + c + 1, values[offset + c]);
                }
                var rc = raw.sqlite3_step(stmt);
                var changes = rc == raw.SQLITE_DONE ? raw.sqlite3_changes(connection.Handle) : -1;
                raw.sqlite3_reset(stmt);
                if (changes != chunk) return false;
                done += chunk;
            }
            return true;
        }

        private static void Bind(sqlite3_stmt stmt, int index, object? value)
        {
            var rc = value switch
            {
                string s => raw.sqlite3_bind_text(stmt, index, s),
                long l => raw.sqlite3_bind_int64(stmt, index, l),
                int i => raw.sqlite3_bind_int64(stmt, index, i),
                null or DBNull => raw.sqlite3_bind_null(stmt, index),
                _ => throw new InvalidOperationException($"No SQLite binding for {value.GetType().Name}."),
            };
            if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"Binding parameter {index} failed ({rc}).");
        }

        private sqlite3_stmt Prepare(RowKind kind, int rows)
        {
            var columns = BatchRows.Columns(kind);
            var sql = new StringBuilder(kind switch
            {
                RowKind.InsertInstance => InsertInstancePrefix,
                RowKind.UpdateInstance => UpdateInstancePrefix,
                RowKind.DeleteBookmark => DeleteBookmarkPrefix,
                RowKind.InsertBookmark => InsertBookmarkPrefix,
                _ => InsertJournalPrefix,
            });
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns; c++) sql.Append(c == 0 ? "?" : ", ?");
                sql.Append(')');
            }
            sql.Append(kind switch
            {
                RowKind.InsertInstance => " ON CONFLICT (\"id\") DO NOTHING",
                RowKind.UpdateInstance => UpdateInstanceSuffix,
                RowKind.DeleteBookmark => "))",
                _ => "",
            });
            var rc = raw.sqlite3_prepare_v3(connection.Handle, sql.ToString(), raw.SQLITE_PREPARE_PERSISTENT, out var stmt);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            return stmt;
        }

        public void Dispose()
        {
            foreach (var stmt in _statements) stmt?.Dispose();
            Array.Clear(_statements);
        }
    }
}
