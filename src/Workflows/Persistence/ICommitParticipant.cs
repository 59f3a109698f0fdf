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

/// <summary>
/// The database engine. SQL Server has its own migration sets (see <see cref="ProviderMigrationsAssembly"/>) and SQL
/// variants where the hand-written SQL differs; what has none yet is refused at start-up (see <c>SqlServerSupport</c>).
/// </summary>
public enum DatabaseProvider { Sqlite, Postgres, SqlServer }
