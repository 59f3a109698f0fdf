namespace Exit.Workflows.Persistence;

/// <summary>Which database the durable store uses and how the instance store writes to it.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>An ADO.NET connection string for the provider (SQLite: <c>Data Source=/path/exit.db</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Group commit: concurrent <see cref="IWorkflowInstanceStore.CommitAsync"/> calls are queued and written by one
    /// writer, many commits per transaction (each in its own savepoint), one fsync per batch. On by default.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Most commits one group-commit transaction takes (PostgreSQL: at most 64, see the writer).</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// SQLite only: the store checkpoints the WAL on a background connection after this many commits (its connections
    /// turn SQLite's own auto-checkpoint off), and the writer copies only what was committed meanwhile, between two
    /// transactions, so the WAL starts again from its beginning. 0 (default): SQLite's own auto-checkpoint (every 1000 WAL
    /// pages, run by the committing connection); see docs/performance.md, "Issue 13, seventh round", for why it stays.
    /// </summary>
    public int SqliteCheckpointEvery { get; set; }

    /// <summary>SQLite only: how long a connection waits for another writer (Quartz, other contexts) before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// PostgreSQL only: how long a host's claim on a page of due timers holds (see <c>TimerClaim</c>): a host that dies
    /// mid-sweep leaves its claimed timers to the others this much later. A page takes well under a second to resume.
    /// </summary>
    public TimeSpan TimerClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether <c>AddWorkflowPersistence</c> registers a hosted service that migrates the schema at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
