using System.Data.Common;
using Exit.Workflows.State;

namespace Exit.Workflows.Persistence.EntityFramework;

// Where a commit's row values go: the parameters of an ADO.NET command, or a row of a batch's multi-row statements.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>Column <c>i</c> of one row; the Bind* methods of <see cref="Statements"/> write every column through it.</summary>
    internal interface IRow
    {
        object? this[int column] { set; }
    }

    /// <summary>Values kept in an array from <paramref name="offset"/> on, to be bound later.</summary>
    private readonly struct ArrayRow(object?[] values, int offset) : IRow
    {
        public object? this[int column]
        {
            set => values[offset + column] = value;
        }
    }

    /// <summary>The command's parameters, by position.</summary>
    private readonly struct ParameterRow(DbParameterCollection parameters) : IRow
    {
        public object? this[int column]
        {
            set => parameters[column].Value = value;
        }
    }

    /// <summary>
    /// The kinds of row a batch writes in multi-row statements, in the order they are written: every interleaving that
    /// could differ from commit order makes some statement touch fewer rows than expected (see <see cref="BatchRows"/>).
    /// </summary>
    private enum RowKind { InsertInstance, UpdateInstance, DeleteBookmark, InsertBookmark, InsertJournal }

    /// <summary>One row: its values from <c>Values[Offset]</c> on (a <see cref="CommitRowValues"/> array).</summary>
    private readonly record struct BatchRow(object?[] Values, int Offset);

    /// <summary>
    /// The rows of a whole batch by kind, for the providers' multi-row statements (<see cref="SqliteBatchStatements"/>,
    /// <see cref="PostgresBatchStatements"/>). Reused between batches; only the writer that owns the session touches it.
    /// </summary>
    private sealed class BatchRows
    {
        public const int InstanceColumns = 15, UpdateColumns = 14, BookmarkColumns = 11, DeleteColumns = 2, JournalColumns = 15;

        private readonly List<BatchRow>[] _rows = [[], [], [], [], []];

        public const int KindCount = 5;

        public List<BatchRow> this[RowKind kind] => _rows[(int)kind];

        /// <summary>Every commit must carry its <see cref="PendingCommit.Rows"/>.</summary>
        public void Collect(IReadOnlyList<PendingCommit> batch)
        {
            foreach (var pending in batch)
            {
                var values = pending.Rows ?? throw new InvalidOperationException("A commit without its row values.");
                this[values.IsInsert ? RowKind.InsertInstance : RowKind.UpdateInstance].Add(new BatchRow(values.Instance, 0));
                for (var i = 0; i < values.DeletedBookmarks.Length; i += DeleteColumns) this[RowKind.DeleteBookmark].Add(new BatchRow(values.DeletedBookmarks, i));
                for (var i = 0; i < values.Bookmarks.Length; i += BookmarkColumns) this[RowKind.InsertBookmark].Add(new BatchRow(values.Bookmarks, i));
                for (var i = 0; i < values.Journal.Length; i += JournalColumns) this[RowKind.InsertJournal].Add(new BatchRow(values.Journal, i));
            }
        }

        public void Clear()
        {
            foreach (var rows in _rows) rows.Clear();
        }

        public static int Columns(RowKind kind) => kind switch
        {
            RowKind.InsertInstance => InstanceColumns,
            RowKind.UpdateInstance => UpdateColumns,
            RowKind.DeleteBookmark => DeleteColumns,
            RowKind.InsertBookmark => BookmarkColumns,
            _ => JournalColumns,
        };
    }

    /// <summary>
    /// A commit's row values for the multi-row statements, made by the same Bind* code as the commands' parameters, on the
    /// caller's thread when it enqueues the commit: the journal's compaction (comparing and serialising activity states)
    /// and the payloads' JSON cost the single writer ~2 µs per value otherwise.
    /// </summary>
    private sealed class CommitRowValues
    {
        public CommitRowValues(InstanceCommit commit, long newVersion, string state)
        {
            var instance = commit.Instance;
            var tenant = Statements.TenantOf(instance);
            IsInsert = commit.ExpectedVersion is null;
            if (IsInsert)
            {
                Instance = new object?[BatchRows.InstanceColumns];
                Statements.BindInsertInstance(new ArrayRow(Instance, 0), instance, newVersion, state);
            }
            else
            {
                Instance = new object?[BatchRows.UpdateColumns];
                Statements.BindUpdateInstance(new ArrayRow(Instance, 0), instance, commit.ExpectedVersion!.Value, newVersion, state);
            }
            DeletedBookmarks = new object?[commit.RemovedBookmarkIds.Count * BatchRows.DeleteColumns];
            for (var i = 0; i < commit.RemovedBookmarkIds.Count; i++)
            {
                DeletedBookmarks[i * 2] = commit.RemovedBookmarkIds[i];
                DeletedBookmarks[i * 2 + 1] = tenant;
            }
            Bookmarks = new object?[commit.AddedBookmarks.Count * BatchRows.BookmarkColumns];
            for (var i = 0; i < commit.AddedBookmarks.Count; i++)
                Statements.BindInsertBookmark(new ArrayRow(Bookmarks, i * BatchRows.BookmarkColumns), commit.AddedBookmarks[i], tenant);
            Journal = new object?[commit.Journal.Count * BatchRows.JournalColumns];
            for (var i = 0; i < commit.Journal.Count; i++)
                Statements.BindJournal(new ArrayRow(Journal, i * BatchRows.JournalColumns), commit, i, 1);
        }

        public bool IsInsert { get; }
        public object?[] Instance { get; }
        public object?[] DeletedBookmarks { get; }
        public object?[] Bookmarks { get; }
        public object?[] Journal { get; }
    }
}
