using System.Data;
using System.Data.Common;
using System.Text;
using Exit.Workflows.State;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Exit.Workflows.Persistence.EntityFramework;

// The SQL of a commit, for SQLite (prepared, re-executed) and PostgreSQL (one batch per commit).
internal sealed partial class InstanceCommitWriter
{
    /// <summary>
    /// The commit statements. SQLite: commands prepared once per writer session and re-executed with new values.
    /// PostgreSQL: each commit's statements go to the server as one <see cref="DbBatch"/> (one round trip).
    /// </summary>
    private sealed partial class Statements(DbConnection connection, bool synchronous) : IAsyncDisposable
    {
        public const int JournalRowsPerInsert = 8;

        private const string InsertInstanceSql =
            "INSERT INTO \"wf_instances\" (\"id\", \"definition_id\", \"definition_version_id\", \"version\", \"correlation_id\", \"name\", " +
            "\"status\", \"sub_status\", \"incident_count\", \"created_at\", \"updated_at\", \"finished_at\", \"concurrency_version\", \"state\", \"tenant_id\") " +
            "VALUES (@id, @definition_id, @definition_version_id, @version, @correlation_id, @name, @status, @sub_status, @incident_count, " +
            "@created_at, @updated_at, @finished_at, @concurrency_version, @state, @tenant_id) ON CONFLICT (\"id\") DO NOTHING";

        internal static readonly (string Name, DbType Type)[] InsertInstanceParameters =
        [
            ("id", DbType.String), ("definition_id", DbType.String), ("definition_version_id", DbType.String), ("version", DbType.Int32),
            ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
            ("incident_count", DbType.Int32), ("created_at", DbType.Int64), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64),
            ("concurrency_version", DbType.Int64), ("state", DbType.String), ("tenant_id", DbType.String),
        ];

        private const string UpdateInstanceSql =
            "UPDATE \"wf_instances\" SET \"definition_version_id\" = @definition_version_id, \"version\" = @version, \"correlation_id\" = @correlation_id, \"name\" = @name, \"status\" = @status, \"sub_status\" = @sub_status, " +
            "\"incident_count\" = @incident_count, \"updated_at\" = @updated_at, \"finished_at\" = @finished_at, " +
            "\"concurrency_version\" = @concurrency_version, \"state\" = @state WHERE \"id\" = @id AND \"concurrency_version\" = @expected_version " +
            "AND \"tenant_id\" = @tenant_id";

        // The definition version is written too: a migration (Alterations/) moves a running instance to another version.
        internal static readonly (string Name, DbType Type)[] UpdateInstanceParameters =
        [
            ("definition_version_id", DbType.String), ("version", DbType.Int32), ("correlation_id", DbType.String), ("name", DbType.String), ("status", DbType.Int32), ("sub_status", DbType.Int32),
            ("incident_count", DbType.Int32), ("updated_at", DbType.Int64), ("finished_at", DbType.Int64), ("concurrency_version", DbType.Int64),
            ("state", DbType.String), ("id", DbType.String), ("expected_version", DbType.Int64), ("tenant_id", DbType.String),
        ];

        // An instance's commit removes only its own tenant's bookmarks: a foreign id matches nothing and conflicts.
        private const string DeleteBookmarkSql = "DELETE FROM \"wf_bookmarks\" WHERE \"id\" = @id AND \"tenant_id\" = @tenant_id";

        internal static readonly (string Name, DbType Type)[] DeleteBookmarkParameters = [("id", DbType.String), ("tenant_id", DbType.String)];

        private const string InsertBookmarkSql =
            "INSERT INTO \"wf_bookmarks\" (\"id\", \"instance_id\", \"activity_instance_id\", \"activity_node_id\", \"kind\", \"key\", " +
            "\"correlation_id\", \"due_at\", \"created_at\", \"payload\", \"tenant_id\") VALUES (@id, @instance_id, @activity_instance_id, @activity_node_id, " +
            "@kind, @key, @correlation_id, @due_at, @created_at, @payload, @tenant_id)";

        internal static readonly (string Name, DbType Type)[] InsertBookmarkParameters =
        [
            ("id", DbType.String), ("instance_id", DbType.String), ("activity_instance_id", DbType.String), ("activity_node_id", DbType.String),
            ("kind", DbType.String), ("key", DbType.String), ("correlation_id", DbType.String), ("due_at", DbType.Int64),
            ("created_at", DbType.Int64), ("payload", DbType.String), ("tenant_id", DbType.String),
        ];

        internal static readonly (string Name, DbType Type)[] JournalColumns =
        [
            ("instance_id", DbType.String), ("sequence", DbType.Int64), ("timestamp", DbType.Int64), ("activity_instance_id", DbType.String),
            ("parent_activity_instance_id", DbType.String), ("activity_id", DbType.String), ("activity_type", DbType.String),
            ("activity_type_version", DbType.Int32), ("activity_name", DbType.String), ("node_id", DbType.String), ("event_name", DbType.String),
            ("message", DbType.String), ("activity_state", DbType.String), ("payload", DbType.String), ("tenant_id", DbType.String),
        ];

        private static readonly (string Sql, (string, DbType)[] Parameters)[] JournalInserts =
            Enumerable.Range(0, JournalRowsPerInsert + 1).Select(JournalInsert).ToArray();

        private readonly List<DbCommand> _all = [];
        private readonly DbCommand?[] _insertJournal = new DbCommand?[JournalRowsPerInsert + 1];
        private DbTransaction? _transaction;
        private DbCommand? _insertInstance, _updateInstance, _deleteBookmark, _insertBookmark, _savepoint, _release, _rollbackTo;

        /// <summary>SQL Server: its own statements where the dialect differs (InstanceCommitWriter.SqlServer.cs).</summary>
        private readonly bool _sqlServer = IsSqlServer(connection);

        /// <summary>PostgreSQL (any provider with DbBatch and real async I/O): one round trip per commit. Not SQL Server (see its file).</summary>
        public bool UsesBatches { get; } = !synchronous && connection.CanCreateBatch && !IsSqlServer(connection);

        /// <summary>Points every command at the new transaction (Microsoft.Data.Sqlite insists).</summary>
        public void Begin(DbTransaction transaction)
        {
            _transaction = transaction;
            foreach (var cmd in _all) cmd.Transaction = transaction;
        }

        public Task<int> Savepoint() => Execute(_savepoint ??= Create(_sqlServer ? SqlServerSavepointSql : "SAVEPOINT exit_commit", []));

        public Task<int> ReleaseSavepoint() =>
            _sqlServer ? Task.FromResult(0) : Execute(_release ??= Create("RELEASE SAVEPOINT exit_commit", []));

        public Task<int> RollbackToSavepoint() =>
            Execute(_rollbackTo ??= Create(_sqlServer ? SqlServerRollbackToSavepointSql : "ROLLBACK TO SAVEPOINT exit_commit", []));

        public Task<int> InsertInstance(WorkflowInstance i, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _insertInstance ??= Create(_sqlServer ? SqlServerInsertInstanceSql : InsertInstanceSql, InsertInstanceParameters);
            BindInsertInstance(cmd.Parameters, i, newVersion, state);
            return Execute(cmd, ct);
        }

        public Task<int> UpdateInstance(WorkflowInstance i, long expectedVersion, long newVersion, string state, CancellationToken ct)
        {
            var cmd = _updateInstance ??= Create(UpdateInstanceSql, UpdateInstanceParameters);
            BindUpdateInstance(cmd.Parameters, i, expectedVersion, newVersion, state);
            return Execute(cmd, ct);
        }

        public Task<int> DeleteBookmark(string id, string tenantId, CancellationToken ct)
        {
            var cmd = _deleteBookmark ??= Create(DeleteBookmarkSql, DeleteBookmarkParameters);
            cmd.Parameters[0].Value = id;
            cmd.Parameters[1].Value = tenantId;
            return Execute(cmd, ct);
        }

        public Task<int> InsertBookmark(Bookmark b, string tenantId, CancellationToken ct)
        {
            var cmd = _insertBookmark ??= Create(InsertBookmarkSql, InsertBookmarkParameters);
            BindInsertBookmark(cmd.Parameters, b, tenantId);
            return Execute(cmd, ct);
        }

        /// <summary>Inserts <paramref name="count"/> (≤ <see cref="JournalRowsPerInsert"/>) records in one multi-row statement.</summary>
        public Task<int> InsertJournal(InstanceCommit commit, int offset, int count, CancellationToken ct)
        {
            var cmd = _insertJournal[count] ??= Create(JournalInserts[count].Sql, JournalInserts[count].Parameters);
            BindJournal(cmd.Parameters, commit, offset, count);
            return Execute(cmd, ct);
        }

        /// <summary>
        /// Sends a commit's statements in one batch: optionally releasing the previous commit's savepoint and opening
        /// this one's first. Returns the rows the instance statement and each bookmark delete affected.
        /// </summary>
        public async Task<(int InstanceRows, int[] DeletedRows)> ExecuteCommitBatchAsync(
            InstanceCommit commit, long newVersion, string state, bool releasePrevious, bool savepoint, CancellationToken ct)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            if (releasePrevious) Add(batch, "RELEASE SAVEPOINT exit_commit", []);
            if (savepoint) Add(batch, "SAVEPOINT exit_commit", []);
            var (instanceIndex, firstDelete) = AddCommit(batch, commit, newVersion, state);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            var deleted = new int[commit.RemovedBookmarkIds.Count];
            for (var i = 0; i < deleted.Length; i++) deleted[i] = batch.BatchCommands[firstDelete + i].RecordsAffected;
            return (batch.BatchCommands[instanceIndex].RecordsAffected, deleted);
        }

        /// <summary>
        /// Per commit of the round: rows of the instance statement and of each bookmark delete, and the participants'
        /// statements it carried (null when its participants run after the round, or it has none).
        /// </summary>
        public sealed record BatchOutcome(int[] InstanceRows, int[][] DeletedRows, Exception? Error, int FailedIndex, CommitBatch?[] Participants);

        /// <summary>
        /// Commits <paramref name="start"/> to <paramref name="end"/> (exclusive), each behind savepoint <c>exit_c{k}</c>, in one
        /// batch; <paramref name="participants"/> adds a commit's participant statements right after its own (or returns null).
        /// </summary>
        public async Task<BatchOutcome> ExecuteCommitsAsync(IReadOnlyList<PendingCommit> commits, int start, int end,
            Func<DbBatch, int, CommitBatch?> participants)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = _transaction;
            var owner = new List<int>();
            var instanceIndex = new int[end - start];
            var firstDelete = new int[end - start];
            var added = new CommitBatch?[end - start];
            for (var k = start; k < end; k++)
            {
                Add(batch, $"SAVEPOINT exit_c{k}", []);
                (instanceIndex[k - start], firstDelete[k - start]) = AddCommit(batch, commits[k].Commit, commits[k].NewVersion, commits[k].State);
                added[k - start] = participants(batch, k);
                while (owner.Count < batch.BatchCommands.Count) owner.Add(k);
            }
            try
            {
                await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                var failedAt = ex.BatchCommand is { } failedCommand ? batch.BatchCommands.IndexOf(failedCommand) : -1;
                return new BatchOutcome([], [], ex, failedAt >= 0 ? owner[failedAt] : -1, added);
            }
            var rows = new int[instanceIndex.Length];
            var deleted = new int[instanceIndex.Length][];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = batch.BatchCommands[instanceIndex[i]].RecordsAffected;
                deleted[i] = new int[commits[start + i].Commit.RemovedBookmarkIds.Count];
                for (var d = 0; d < deleted[i].Length; d++) deleted[i][d] = batch.BatchCommands[firstDelete[i] + d].RecordsAffected;
            }
            // The participants' checks read their rows now, while the batch's commands are still ours.
            foreach (var participantBatch in added) participantBatch?.Evaluate();
            return new BatchOutcome(rows, deleted, null, -1, added);
        }

        public async Task RollbackToSavepoint(int commitIndex)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = $"ROLLBACK TO SAVEPOINT exit_c{commitIndex}";
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        private static (int InstanceIndex, int FirstDelete) AddCommit(DbBatch batch, InstanceCommit commit, long newVersion, string state)
        {
            var instanceIndex = batch.BatchCommands.Count;
            if (commit.ExpectedVersion is null)
                BindInsertInstance(Add(batch, InsertInstanceSql, InsertInstanceParameters), commit.Instance, newVersion, state);
            else
                BindUpdateInstance(Add(batch, UpdateInstanceSql, UpdateInstanceParameters), commit.Instance, commit.ExpectedVersion.Value, newVersion, state);
            var firstDelete = batch.BatchCommands.Count;
            var tenantId = TenantOf(commit);
            foreach (var id in commit.RemovedBookmarkIds)
            {
                var delete = Add(batch, DeleteBookmarkSql, DeleteBookmarkParameters);
                delete[0].Value = id;
                delete[1].Value = tenantId;
            }
            foreach (var b in commit.AddedBookmarks) BindInsertBookmark(Add(batch, InsertBookmarkSql, InsertBookmarkParameters), b, tenantId);
            for (var i = 0; i < commit.Journal.Count; i += JournalRowsPerInsert)
            {
                var count = Math.Min(JournalRowsPerInsert, commit.Journal.Count - i);
                BindJournal(Add(batch, JournalInserts[count].Sql, JournalInserts[count].Parameters), commit, i, count);
            }
            return (instanceIndex, firstDelete);
        }

        private static DbParameterCollection Add(DbBatch batch, string sql, (string Name, DbType Type)[] parameters)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                p.DbType = type;
                cmd.Parameters.Add(p);
            }
            batch.BatchCommands.Add(cmd);
            return cmd.Parameters;
        }

        private static void BindInsertInstance(DbParameterCollection p, WorkflowInstance i, long newVersion, string state) =>
            BindInsertInstance(new ParameterRow(p), i, newVersion, state);

        internal static void BindInsertInstance<TRow>(TRow p, WorkflowInstance i, long newVersion, string state) where TRow : IRow
        {
            p[0] = i.Id;
            p[1] = i.DefinitionId;
            p[2] = i.DefinitionVersionId;
            p[3] = i.DefinitionVersion;
            p[4] = (object?)i.CorrelationId ?? DBNull.Value;
            p[5] = (object?)i.Name ?? DBNull.Value;
            p[6] = (int)i.Status;
            p[7] = (int)i.SubStatus;
            p[8] = i.Incidents.Count;
            p[9] = i.CreatedAt.UtcTicks;
            p[10] = i.UpdatedAt.UtcTicks;
            p[11] = i.FinishedAt is { } f ? f.UtcTicks : DBNull.Value;
            p[12] = newVersion;
            p[13] = state;
            p[14] = TenantOf(i);
        }

        private static void BindUpdateInstance(DbParameterCollection p, WorkflowInstance i, long expectedVersion, long newVersion, string state) =>
            BindUpdateInstance(new ParameterRow(p), i, expectedVersion, newVersion, state);

        internal static void BindUpdateInstance<TRow>(TRow p, WorkflowInstance i, long expectedVersion, long newVersion, string state) where TRow : IRow
        {
            p[0] = i.DefinitionVersionId;
            p[1] = i.DefinitionVersion;
            p[2] = (object?)i.CorrelationId ?? DBNull.Value;
            p[3] = (object?)i.Name ?? DBNull.Value;
            p[4] = (int)i.Status;
            p[5] = (int)i.SubStatus;
            p[6] = i.Incidents.Count;
            p[7] = i.UpdatedAt.UtcTicks;
            p[8] = i.FinishedAt is { } f ? f.UtcTicks : DBNull.Value;
            p[9] = newVersion;
            p[10] = state;
            p[11] = i.Id;
            p[12] = expectedVersion;
            p[13] = TenantOf(i);
        }

        private static void BindInsertBookmark(DbParameterCollection p, Bookmark b, string tenantId) =>
            BindInsertBookmark(new ParameterRow(p), b, tenantId);

        internal static void BindInsertBookmark<TRow>(TRow p, Bookmark b, string tenantId) where TRow : IRow
        {
            p[0] = b.Id;
            p[1] = b.InstanceId;
            p[2] = b.ActivityInstanceId;
            p[3] = b.ActivityNodeId;
            p[4] = b.Kind;
            p[5] = (object?)b.Key ?? DBNull.Value;
            p[6] = (object?)b.CorrelationId ?? DBNull.Value;
            p[7] = b.DueAt is { } d ? d.UtcTicks : DBNull.Value;
            p[8] = b.CreatedAt.UtcTicks;
            p[9] = (object?)InstanceStateSerializer.ToJson(b.Payload) ?? DBNull.Value;
            p[10] = tenantId;
        }

        private static void BindJournal(DbParameterCollection p, InstanceCommit commit, int offset, int count) =>
            BindJournal(new ParameterRow(p), commit, offset, count);

        internal static void BindJournal<TRow>(TRow p, InstanceCommit commit, int offset, int count) where TRow : IRow
        {
            var records = commit.Journal;
            var tenantId = TenantOf(commit);
            for (var row = 0; row < count; row++)
            {
                var r = records[offset + row];
                var b = row * JournalColumns.Length;
                p[b] = r.InstanceId;
                p[b + 1] = r.Sequence;
                p[b + 2] = JournalCompaction.TimestampValue(records, offset + row);
                p[b + 3] = r.ActivityInstanceId;
                p[b + 5] = r.ActivityId; // kept whole: queries find rows by activity id and event
                if (JournalCompaction.IsSameActivity(records, offset + row))
                {
                    p[b + 4] = DBNull.Value;
                    p[b + 6] = JournalCompaction.SameActivity;
                    p[b + 7] = 0;
                    p[b + 8] = DBNull.Value;
                    p[b + 9] = JournalCompaction.DerivedNodeId;
                }
                else
                {
                    p[b + 4] = (object?)r.ParentActivityInstanceId ?? DBNull.Value;
                    p[b + 6] = r.ActivityType;
                    p[b + 7] = r.ActivityTypeVersion;
                    p[b + 8] = (object?)r.ActivityName ?? DBNull.Value;
                    p[b + 9] = JournalCompaction.NodeIdText(records, offset + row);
                }
                p[b + 10] = r.EventName;
                p[b + 11] = (object?)r.Message ?? DBNull.Value;
                p[b + 12] = (object?)JournalCompaction.StateText(records, offset + row) ?? DBNull.Value;
                p[b + 13] = (object?)InstanceStateSerializer.ToJson(r.Payload) ?? DBNull.Value;
                p[b + 14] = tenantId;
            }
        }

        private static (string Sql, (string, DbType)[] Parameters) JournalInsert(int rows)
        {
            var sql = new StringBuilder("INSERT INTO \"wf_journal\" (");
            sql.AppendJoin(", ", JournalColumns.Select(c => $"\"{c.Name}\"")).Append(") VALUES ");
            var parameters = new List<(string, DbType)>(rows * JournalColumns.Length);
            for (var row = 0; row < rows; row++)
            {
                if (row > 0) sql.Append(", ");
                sql.Append('(');
                for (var c = 0; c < JournalColumns.Length; c++)
                {
                    var name = $"{JournalColumns[c].Name}_{row}";
                    if (c > 0) sql.Append(", ");
                    sql.Append('@').Append(name);
                    parameters.Add((name, JournalColumns[c].Type));
                }
                sql.Append(')');
            }
            return (sql.ToString(), [.. parameters]);
        }

        private static string TenantOf(InstanceCommit commit) => TenantOf(commit.Instance);

        /// <summary>Every row of a commit carries its instance's tenant, whoever's thread the writer runs on.</summary>
        internal static string TenantOf(WorkflowInstance instance) =>
            string.IsNullOrEmpty(instance.TenantId) ? throw new Exit.Workflows.Tenancy.TenantScopeMissingException() : instance.TenantId;

        private Task<int> Execute(DbCommand cmd, CancellationToken ct = default) =>
            synchronous ? Task.FromResult(cmd.ExecuteNonQuery()) : cmd.ExecuteNonQueryAsync(ct);

        private DbCommand Create(string sql, (string Name, DbType Type)[] parameters)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                p.DbType = type;
                cmd.Parameters.Add(p);
            }
            _all.Add(cmd);
            return cmd;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var cmd in _all) await cmd.DisposeAsync().ConfigureAwait(false);
            _all.Clear();
        }
    }
}
