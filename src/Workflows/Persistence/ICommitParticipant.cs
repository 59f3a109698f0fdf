using System.Data.Common;

namespace Exit.Workflows.Persistence;

/// <summary>
/// Writes the domain effects staged by activities (see IActivityExecutionContext.AddEffect) inside the
/// runtime's commit transaction, so an instance's state and, say, its task records change together or not at all.
/// A participant signals a lost race (e.g. a task already completed) by throwing <see cref="ConcurrencyConflictException"/>.
/// </summary>
public interface ICommitParticipant
{
    Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken);
}

/// <summary>The open connection and transaction of a commit, for participants that use their own DbContext or SQL.</summary>
public sealed record CommitContext(DbConnection Connection, DbTransaction Transaction, DatabaseProvider Provider)
{
    /// <summary>The writer session's reusable commands; without it (a context made by hand) each statement gets a fresh command.</summary>
    internal CommitCommandCache? Commands { get; init; }

    /// <summary>
    /// Runs <paramref name="statement"/> in the commit's transaction with the values <paramref name="bind"/> puts into its
    /// parameters (by position, in the statement's order) and returns the rows affected. The writer runs this inside its
    /// serial section, so the command is prepared once per writer connection and reused: no EF context, no command
    /// building per commit. Raw SQL: the statement must write and filter the tenant column itself.
    /// </summary>
    public async Task<int> ExecuteAsync<TState>(CommitStatement statement, TState state, Action<DbParameterCollection, TState> bind,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(bind);
        if (Commands is { } commands)
        {
            var command = commands.Get(statement, Transaction);
            bind(command.Parameters, state);
            // Microsoft.Data.Sqlite's async methods run synchronously anyway; the sync call saves the task.
            return Provider == DatabaseProvider.Sqlite
                ? command.ExecuteNonQuery()
                : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var once = statement.Create(Connection, Transaction);
        bind(once.Parameters, state);
        return await once.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The database engine. SQL Server has its own migration sets (see <see cref="ProviderMigrationsAssembly"/>) and SQL
/// variants where the hand-written SQL differs; what has none yet is refused at start-up (see <c>SqlServerSupport</c>).
/// </summary>
public enum DatabaseProvider { Sqlite, Postgres, SqlServer }
