using Exit.Host.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The lane this Host process appends its audit entries in (<see cref="AuditChain"/>), fixed for the process's
/// lifetime. On PostgreSQL and SQL Server it is drawn once from the database sequence <see cref="SequenceName"/> and
/// mapped into 1..<see cref="Max"/>, so hosts started one after another get lanes of their own and their appends to one
/// municipality's log do not wait for each other. Lanes only spread the waiting: two hosts that end up in the same lane
/// (a 64th host, a sequence that wrapped) wait for each other as all hosts did before lanes, and every lane is a
/// complete chain either way, so correctness never depends on lanes being distinct. SQLite (one writer per file) and
/// a process that never drew one append in lane 0, where the entries from before lanes are.
/// </summary>
public sealed class AuditLane
{
    /// <summary>The highest lane; lanes are bounded so verification has a bounded number of chains per municipality.</summary>
    public const short Max = 63;

    /// <summary>The sequence lanes are drawn from (created by the <c>AuditLanes</c> migrations on PostgreSQL and SQL Server).</summary>
    public const string SequenceName = "ExitAuditLanes";

    internal const string PostgresNextSql = "SELECT nextval('\"" + SequenceName + "\"')";

    internal const string SqlServerNextSql = "SELECT NEXT VALUE FOR dbo." + SequenceName;

    private readonly SemaphoreSlim _drawing = new(1, 1);
    private short _value;
    private volatile bool _drawn;

    /// <summary>The lane drawn so far; 0 until <see cref="DrawAsync"/> has run (start-up does, before any work).</summary>
    public short Value => _value;

    /// <summary>Draws this process's lane on its first call (start-up); later calls return the same lane.</summary>
    public async ValueTask<short> DrawAsync(ExitIdentityDbContext db, CancellationToken ct)
    {
        if (_drawn) return _value;
        await _drawing.WaitAsync(ct);
        try
        {
            if (_drawn) return _value;
            var sql = db.Database.IsNpgsql() ? PostgresNextSql : db.Database.IsSqlServer() ? SqlServerNextSql : null;
            if (sql is not null)
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = sql;
                    _value = FromSequence(Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }

            _drawn = true;
            return _value;
        }
        finally
        {
            _drawing.Release();
        }
    }

    /// <summary>Sequence value 1, 2, … → lane 1, 2, …, <see cref="Max"/>, 1, …</summary>
    public static short FromSequence(long next) => (short)(1 + (((next - 1) % Max) + Max) % Max);
}
