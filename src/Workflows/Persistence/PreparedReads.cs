using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Persistence;

/// <summary>
/// A hot read's statement with its typed parameters, bound by position. Declare it once (a static field): a
/// <see cref="PreparedReadSession"/> keeps one prepared command per statement and re-executes it with new values.
/// </summary>
public sealed class ReadStatement(string sql, params (string Name, DbType Type)[] parameters)
{
    public string Sql { get; } = sql;

    public IReadOnlyList<(string Name, DbType Type)> Parameters { get; } = parameters;

    public DbCommand Create(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        StatementParameters.Declare(command.Parameters, command.CreateParameter, Parameters);
        return command;
    }
}

/// <summary>
/// Open connections for the callers' hot reads (a task before its completion, an instance and its bookmarks before a
/// resume), each with its statements prepared once. A read on a fresh command costs SQLite a parse and plan of the
/// statement every time, and renting a pooled context and opening, configuring and closing its connection cost more
/// than the read itself (the completions' profile of issue 13, sixth round). A session is used by one caller at a time:
/// rent it, execute, dispose the readers, return it. Only for SQLite: a PostgreSQL connection is a server process
/// that Npgsql's pool shares and its statements are prepared there already (Max Auto Prepare), so holding one per
/// caller would cost the server, not save it.
/// </summary>
/// <remarks>
/// An idle session holds no read transaction (a disposed reader resets its statements), so it does not keep the WAL
/// from being checkpointed. A session whose read failed is closed rather than reused.
/// </remarks>
public sealed class PreparedReads(Func<DbContext> createContext, int maxIdle = 32) : IDisposable
{
    private readonly ConcurrentBag<PreparedReadSession> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public async ValueTask<PreparedReadSession> RentAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }
        var db = createContext();
        try
        {
            // The context's interceptors configure the connection as every other one (busy timeout, synchronous).
            await db.Database.OpenConnectionAsync(ct);
            return new PreparedReadSession(db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gives the session back for the next read; <paramref name="reusable"/> false (its read failed) closes it.</summary>
    public void Return(PreparedReadSession session, bool reusable)
    {
        if (reusable && !_disposed)
        {
            if (Interlocked.Increment(ref _idleCount) <= maxIdle)
            {
                _idle.Add(session);
                // Disposed meanwhile: the sweep in Dispose may have missed this session.
                if (_disposed) DisposeIdle();
                return;
            }
            Interlocked.Decrement(ref _idleCount);
        }
        session.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
        }
    }
}

/// <summary>One open connection of <see cref="PreparedReads"/> and its prepared commands; one caller at a time.</summary>
public sealed class PreparedReadSession : IDisposable
{
    private readonly DbContext _db;
    private readonly DbConnection _connection;
    private readonly Dictionary<ReadStatement, DbCommand> _commands = new(ReferenceEqualityComparer.Instance);

    internal PreparedReadSession(DbContext db)
    {
        _db = db;
        _connection = db.Database.GetDbConnection();
    }

    /// <summary>The statement's command on this connection, its parameters in declaration order; set their values and execute.</summary>
    public DbCommand Command(ReadStatement statement)
    {
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = statement.Create(_connection);
            _commands.Add(statement, command);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        _db.Dispose();
    }
}
