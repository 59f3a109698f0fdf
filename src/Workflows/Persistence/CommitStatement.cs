using System.Data;
using System.Data.Common;

namespace Exit.Workflows.Persistence;

/// <summary>
/// A participant's hand-written statement with its typed parameters, bound by position in
/// <see cref="CommitContext.ExecuteAsync{TState}"/>. Declare it once (a static field): the writer session keeps one
/// prepared command per statement and re-executes it with new values, instead of building a command per commit.
/// </summary>
public sealed class CommitStatement(string sql, params (string Name, DbType Type)[] parameters)
{
    public string Sql { get; } = sql;

    public IReadOnlyList<(string Name, DbType Type)> Parameters { get; } = parameters;

    internal DbCommand Create(DbConnection connection, DbTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Transaction = transaction;
        StatementParameters.Declare(command.Parameters, command.CreateParameter, Parameters);
        return command;
    }
}

/// <summary>
/// The commands of the participants' <see cref="CommitStatement"/>s on one writer connection, created on first use and
/// reused for every later commit of that connection (SQLite keeps each prepared). Owned and disposed by the writer session;
/// used only by the writer that owns it, never concurrently.
/// </summary>
internal sealed class CommitCommandCache(DbConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<CommitStatement, DbCommand> _commands = new(ReferenceEqualityComparer.Instance);

    public DbCommand Get(CommitStatement statement, DbTransaction transaction)
    {
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = statement.Create(connection, transaction);
            _commands.Add(statement, command);
        }
        // Microsoft.Data.Sqlite insists that a command names the connection's current transaction.
        command.Transaction = transaction;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync().ConfigureAwait(false);
        _commands.Clear();
    }
}
