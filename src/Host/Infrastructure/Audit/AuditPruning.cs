using System.Data.Common;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// Retention of a municipality's audit log: per lane, the entries written before a cutoff are removed as a
/// <b>prefix</b> of the lane (everything before the lane's first entry written at or after the cutoff; a lane with no
/// such entry keeps its newest, so a later append still follows a hash in the table), and an <see cref="AuditAnchor"/>
/// records the last removed entry's id and hash in the same transaction. The kept part stays one unbroken chain that
/// <see cref="AuditChain.VerifyAsync"/> starts from the anchor; the pruning itself stays on record.
/// <para>
/// PostgreSQL: the database function <see cref="PostgresFunction"/> (migration <c>AuditAnchors</c>, SECURITY DEFINER) does
/// it, so the service's role needs EXECUTE on it but no DELETE on the audit table (README, "Audit chain"). SQLite (no
/// roles) and SQL Server: the same steps from here in one transaction (SQLite's writer lock; on SQL Server each lane's
/// append lock).
/// </para>
/// </summary>
public static class AuditPruning
{
    public const string PostgresFunction = "exit_prune_audit_entries";

    /// <summary>
    /// Removes the expired prefix of every lane of the municipality in scope; returns how many entries were removed.
    /// <paramref name="cutoff"/> must lie before <paramref name="now"/>.
    /// </summary>
    /// <exception cref="AuditPruningRefusedException">PostgreSQL refused the function (not granted, or missing).</exception>
    public static async Task<long> PruneAsync(ExitIdentityDbContext db, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        if (cutoff >= now) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "The audit retention cutoff must lie in the past.");
        var tenant = Exit.Workflows.Tenancy.TenantScope.Required();
        return db.Database.IsNpgsql() ? await PruneInPostgresAsync(db, tenant, cutoff, ct) : await PruneHereAsync(db, tenant, cutoff, now, ct);
    }

    private static async Task<long> PruneInPostgresAsync(ExitIdentityDbContext db, string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT {PostgresFunction}(@tenantId, @cutoff)";
            command.AddParameter("@tenantId", tenant);
            command.AddParameter("@cutoff", cutoff.UtcTicks);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException ex) when (ex.SqlState is InsufficientPrivilege or UndefinedFunction)
        {
            throw new AuditPruningRefusedException(ex.SqlState, ex);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private const string InsufficientPrivilege = "42501";
    private const string UndefinedFunction = "42883";

    private static async Task<long> PruneHereAsync(ExitIdentityDbContext db, string tenant, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var entries = db.AuditEntries.AsNoTracking();
            long total = 0;
            short? lane = -1;
            while ((lane = await AuditChain.NextLaneAsync(db, lane.Value, ct)) is { } current)
            {
                await AuditChain.LockAsync(db, tenant, current, ct);
                var keepFrom = await AuditChain.InLane(entries, current).Where(e => e.At >= cutoff)
                    .OrderBy(e => e.Lane).ThenBy(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct)
                    ?? await AuditChain.InLaneNewestFirst(entries, current).Select(e => e.Id).FirstAsync(ct);
                var last = await AuditChain.InLaneNewestFirst(entries, current).Where(e => e.Id < keepFrom)
                    .Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
                if (last is null) continue;
                var removed = await AuditChain.InLane(db.AuditEntries, current).Where(e => e.Id < keepFrom).ExecuteDeleteAsync(ct);
                db.AuditAnchors.Add(new AuditAnchor
                {
                    TenantId = tenant,
                    Lane = current,
                    LastRemovedId = last.Id,
                    LastRemovedHash = last.Hash,
                    Cutoff = cutoff,
                    Removed = removed,
                    At = now,
                });
                await db.SaveChangesAsync(ct);
                total += removed;
            }

            await transaction.CommitAsync(ct);
            return total;
        });
    }
}
