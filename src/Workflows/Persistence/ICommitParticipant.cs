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

/// <summary>The open connection and transaction of a commit, for participants that use their own DbContext.</summary>
public sealed record CommitContext(DbConnection Connection, DbTransaction Transaction, DatabaseProvider Provider);

public enum DatabaseProvider { Sqlite, Postgres }
