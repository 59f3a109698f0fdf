using System.Data;
using System.Data.Common;
using NpgsqlTypes;
using Npgsql;

namespace Exit.Workflows.Persistence.EntityFramework;

// PostgreSQL only: a whole batch's rows in one multi-row statement per kind (arrays, unnest), with the participants'
// statements behind them, in one round trip and without a savepoint per commit.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// PostgreSQL: applies the whole batch in the open transaction in one round trip, with no savepoint per commit: the
    /// batch's own rows (<see cref="PostgresBatchStatements"/>), then each commit's batched participants in commit order;
    /// participants that cannot batch run after it, commit by commit. False as soon as anything failed or a statement
    /// touched fewer rows than its commits expect; the caller rolls the whole transaction back and applies the batch again
    /// commit by commit behind savepoints, so only the failing commit's caller fails. A participant's follow-ups
    /// (<see cref="CommitBatch.OnApplied"/>) run only when the whole attempt stands.
    /// </summary>
    private async Task<bool> TryApplyPostgresAsync(PostgresBatchStatements rows, CommitContext commitContext, IReadOnlyList<PendingCommit> batch)
    {
        var joined = new List<CommitBatch>();
        var runAfter = batch.Count;
        await using (var dbBatch = commitContext.Connection.CreateBatch())
        {
            dbBatch.Transaction = commitContext.Transaction;
            rows.AddTo(dbBatch, batch);
            // In commit order up to the first commit whose participants cannot join: those and every later commit's run
            // after the batch, so that each commit's participants still see the earlier commits' participant writes.
            for (var k = 0; k < batch.Count && runAfter == batch.Count; k++)
            {
                if (!HasParticipantWork(batch[k])) continue;
                if (!CanBatchParticipants(batch[k])) runAfter = k;
                else if (AddBatchedParticipants(dbBatch, k, batch) is { } participants) joined.Add(participants);
            }
            await dbBatch.ExecuteNonQueryAsync().ConfigureAwait(false);
            if (!rows.EveryRowTouched()) return false;
            // The participants' checks read their rows now, while the batch's commands are still ours.
            foreach (var participants in joined)
            {
                participants.Evaluate();
                if (participants.Error is not null) return false;
            }
        }
        for (var k = runAfter; k < batch.Count; k++)
            await ApplyParticipantsAsync(commitContext, batch[k].Commit, CancellationToken.None).ConfigureAwait(false);
        foreach (var participants in joined) participants.Applied();
        return true;
    }

    /// <summary>
    /// Writes the instance rows, bookmarks and journal rows of every commit of a batch in one statement per kind: all new
    /// instances in one <c>INSERT … SELECT FROM unnest(…)</c>, all expected-version updates in one
    /// <c>UPDATE … FROM unnest(…)</c>, all removed bookmarks in one <c>DELETE … USING unnest(…)</c>, all new bookmarks and
    /// journal rows in one INSERT each. Each column is one array parameter, so every statement's text is the same
    /// whatever the batch holds and Npgsql keeps it prepared on the connection (Max Auto Prepare), and a batch of any size
    /// is five statements. Each statement must touch exactly its rows; the order and what a shortfall means are those of
    /// <see cref="SqliteBatchStatements"/>.
    /// </summary>
    private sealed class PostgresBatchStatements
    {
        private static readonly string InsertInstanceSql = Insert("wf_instances", Statements.InsertInstanceParameters) + " ON CONFLICT (\"id\") DO NOTHING";

        // The parameters' names are the alias's column names: the eleven written, then the key and the expected version.
        private static readonly string UpdateInstanceSql =
            "UPDATE \"wf_instances\" AS i SET " +
            string.Join(", ", Statements.UpdateInstanceParameters.Take(11).Select(c => $"\"{c.Name}\" = v.\"{c.Name}\"")) +
            " FROM " + Unnest(Statements.UpdateInstanceParameters) +
            " WHERE i.\"id\" = v.\"id\" AND i.\"concurrency_version\" = v.\"expected_version\" AND i.\"tenant_id\" = v.\"tenant_id\"";

        private static readonly string DeleteBookmarkSql =
            "DELETE FROM \"wf_bookmarks\" AS b USING " + Unnest(Statements.DeleteBookmarkParameters) +
            " WHERE b.\"id\" = v.\"id\" AND b.\"tenant_id\" = v.\"tenant_id\"";

        private static readonly string InsertBookmarkSql = Insert("wf_bookmarks", Statements.InsertBookmarkParameters);

        private static readonly string InsertJournalSql = Insert("wf_journal", Statements.JournalColumns);

        private readonly BatchRows _rows = new();

        /// <summary>The statements added by the last <see cref="AddTo"/> and how many rows each must touch.</summary>
        private readonly List<(DbBatchCommand Command, int Rows)> _expected = [];

        /// <summary>Adds the batch's row statements to <paramref name="dbBatch"/> (a kind with no rows adds none).</summary>
        public void AddTo(DbBatch dbBatch, IReadOnlyList<PendingCommit> batch)
        {
            _expected.Clear();
            try
            {
                _rows.Collect(batch);
                for (var kind = 0; kind < BatchRows.KindCount; kind++)
                {
                    var rows = _rows[(RowKind)kind];
                    if (rows.Count == 0) continue;
                    var (sql, columns) = Statement((RowKind)kind);
                    var command = new NpgsqlBatchCommand(sql);
                    for (var c = 0; c < columns.Length; c++) command.Parameters.Add(ColumnArray(rows, c, columns[c].Type));
                    dbBatch.BatchCommands.Add(command);
                    _expected.Add((command, rows.Count));
                }
            }
            finally
            {
                _rows.Clear();
            }
        }

        /// <summary>After the batch ran: true when every statement touched all its rows.</summary>
        public bool EveryRowTouched()
        {
            foreach (var (command, rows) in _expected)
            {
                if (command.RecordsAffected != rows) return false;
            }
            return true;
        }

        private static (string Sql, (string Name, DbType Type)[] Columns) Statement(RowKind kind) => kind switch
        {
            RowKind.InsertInstance => (InsertInstanceSql, Statements.InsertInstanceParameters),
            RowKind.UpdateInstance => (UpdateInstanceSql, Statements.UpdateInstanceParameters),
            RowKind.DeleteBookmark => (DeleteBookmarkSql, Statements.DeleteBookmarkParameters),
            RowKind.InsertBookmark => (InsertBookmarkSql, Statements.InsertBookmarkParameters),
            _ => (InsertJournalSql, Statements.JournalColumns),
        };

        /// <summary>Column <paramref name="column"/> of every row as one typed array parameter (positional, <c>$n</c>).</summary>
        private static NpgsqlParameter ColumnArray(List<BatchRow> rows, int column, DbType type) => type switch
        {
            DbType.Int64 => Array(rows, column, NpgsqlDbType.Bigint, static v => (long?)Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)),
            DbType.Int32 => Array(rows, column, NpgsqlDbType.Integer, static v => (int?)Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)),
            DbType.String => Array(rows, column, NpgsqlDbType.Text, static v => (string?)v),
            _ => throw new InvalidOperationException($"No PostgreSQL array for {type}."),
        };

        /// <summary>One column's values as a <typeparamref name="T"/> array, a database null as null.</summary>
        private static NpgsqlParameter Array<T>(List<BatchRow> rows, int column, NpgsqlDbType element, Func<object, T> convert)
        {
            var values = new T?[rows.Count];
            for (var r = 0; r < values.Length; r++) values[r] = Value(rows[r], column) is { } v ? convert(v) : default;
            return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | element, Value = values };
        }

        private static object? Value(BatchRow row, int column) => row.Values[row.Offset + column] is DBNull ? null : row.Values[row.Offset + column];

        private static string Insert(string table, (string Name, DbType Type)[] columns) =>
            $"INSERT INTO \"{table}\" (" + string.Join(", ", columns.Select(c => $"\"{c.Name}\"")) + ") SELECT * FROM " + Unnest(columns);

        /// <summary><c>unnest($1, $2, …) AS v(name1, name2, …)</c>: one array parameter per column, the rows side by side.</summary>
        private static string Unnest((string Name, DbType Type)[] columns) =>
            "unnest(" + string.Join(", ", columns.Select((_, i) => $"${i + 1}")) + ") AS v(" + string.Join(", ", columns.Select(c => $"\"{c.Name}\"")) + ")";
    }
}
