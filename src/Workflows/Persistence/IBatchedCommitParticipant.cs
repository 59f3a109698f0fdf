using System.Data.Common;

namespace Exit.Workflows.Persistence;

/// <summary>
/// A commit participant whose writes can join the writer's own batch on PostgreSQL: instead of running its statements
/// after the commit's (a round trip of its own, which also ends the writer's round trip for the commits before it), it
/// adds them to the <see cref="DbBatch"/> that carries the commit's instance, bookmark and journal statements, so a
/// group of commits with task and audit effects still goes to the server in one round trip. A participant that cannot
/// (or a commit whose effects one participant cannot batch) keeps the per-commit path of <see cref="ICommitParticipant"/>.
/// </summary>
public interface IBatchedCommitParticipant : ICommitParticipant
{
    /// <summary>
    /// True when every write this participant makes for <paramref name="effects"/> can go through <see cref="AddTo"/>
    /// (also when it has nothing to write for them). Asked before any statement of the commit is sent.
    /// </summary>
    bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects);

    /// <summary>
    /// Adds the statements for <paramref name="effects"/> behind the commit's own. Runs in the instance's tenant scope,
    /// as <see cref="ICommitParticipant.ApplyAsync"/> does; raw SQL must still write and filter the tenant column itself.
    /// </summary>
    void AddTo(CommitBatch batch, IReadOnlyList<object> effects);
}

/// <summary>
/// The part of the writer's batch one commit's participants write into. Statements run in the order added, after the
/// commit's own and before the next commit's savepoint, so rolling back to the commit's savepoint undoes them with it.
/// </summary>
public sealed class CommitBatch
{
    private readonly DbBatch _batch;
    private readonly List<(DbBatchCommand Command, Func<int, Exception?> Check)> _checks = [];
    private readonly List<Action> _applied = [];

    internal CommitBatch(DbBatch batch, DatabaseProvider provider)
    {
        _batch = batch;
        Provider = provider;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>
    /// Adds <paramref name="statement"/> with the values <paramref name="bind"/> puts into its parameters (by position).
    /// <paramref name="check"/> sees the rows it affected once the batch ran and returns the exception that fails the
    /// commit (for example a conflict when a conditional update matched nothing), or null.
    /// </summary>
    public void Add<TState>(CommitStatement statement, TState state, Action<DbParameterCollection, TState> bind, Func<int, Exception?>? check = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(bind);
        var command = _batch.CreateBatchCommand();
        command.CommandText = statement.Sql;
        StatementParameters.Declare(command.Parameters, command.CreateParameter, statement.Parameters);
        bind(command.Parameters, state);
        _batch.BatchCommands.Add(command);
        if (check is not null) _checks.Add((command, check));
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the commit's statements ran and none failed (inside the transaction, before it
    /// commits: as after <see cref="ICommitParticipant.ApplyAsync"/> returns). Not run for a commit that is rolled back;
    /// when the writer sends such a commit again, its participants add their statements again.
    /// </summary>
    public void OnApplied(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _applied.Add(action);
    }

    /// <summary>The first failed check's exception, in the order the statements were added (after <see cref="Evaluate"/>).</summary>
    internal Exception? Error { get; private set; }

    /// <summary>Runs the checks on the rows each statement affected; called once the batch ran without an error.</summary>
    internal void Evaluate()
    {
        Error = null;
        foreach (var (command, check) in _checks)
        {
            if (check(command.RecordsAffected) is { } error)
            {
                Error = error;
                return;
            }
        }
    }

    internal void Applied()
    {
        foreach (var action in _applied) action();
    }
}
