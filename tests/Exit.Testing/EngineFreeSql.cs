using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Exit.Testing;

/// <summary>
/// Lets EF run its queries on a provider with no engine behind it (here: SQL Server, which these machines lack): opening
/// the connection is suppressed, and every command EF would send is recorded instead and answered with no rows (a count
/// with 0, an existence check with false). The real store code then builds, translates and "executes" its LINQ on that provider, and the test parses the
/// SQL EF generated. Hand-written ADO.NET on the connection bypasses this (it would meet an unopened connection).
/// </summary>
public sealed class EngineFreeSql : DbCommandInterceptor, IDbConnectionInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();

    /// <summary>Every command text EF sent, in order.</summary>
    public IReadOnlyList<string> Commands => [.. _commands];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command));

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command)));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        _commands.Enqueue(command.CommandText);
        return InterceptionResult<object>.SuppressWithResult(0);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return ValueTask.FromResult(InterceptionResult<object>.SuppressWithResult(0));
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        _commands.Enqueue(command.CommandText);
        return InterceptionResult<int>.SuppressWithResult(0);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));
    }

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    private DbDataReader Answer(DbCommand command)
    {
        _commands.Enqueue(command.CommandText);
        var table = new DataTable();
        // A COUNT (0) and an ANY (false) are read as one row; every other query finds nothing.
        var sql = command.CommandText.TrimStart();
        if (sql.StartsWith("SELECT COUNT(*)", StringComparison.OrdinalIgnoreCase))
        {
            table.Columns.Add("count", typeof(int));
            table.Rows.Add(0);
        }
        else if (sql.StartsWith("SELECT CASE", StringComparison.OrdinalIgnoreCase) && sql.Contains("EXISTS", StringComparison.OrdinalIgnoreCase))
        {
            table.Columns.Add("any", typeof(bool));
            table.Rows.Add(false);
        }
        return table.CreateDataReader();
    }
}
