using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Exit.Host.Infrastructure.Auth;
using Exit.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// The audit log as hash chains, one per municipality and <b>lane</b> (<see cref="AuditEntry.Lane"/>): an entry's
/// predecessor is the previous entry (by id) of the same municipality and lane, so each municipality verifies its own
/// log without reading another's; each entry's <see cref="AuditEntry.Hash"/> is the SHA-256 of its predecessor's hash and
/// the entry's own fields. Appends to one chain are serialised (one transaction that reads the chain's last hash and
/// inserts: on SQLite under the database's writer lock, <c>BEGIN IMMEDIATE</c>; on PostgreSQL under a transaction-scoped
/// advisory lock, on SQL Server an application lock, both keyed by municipality and lane) and the lock is held until the
/// appending transaction commits (a writer group's fsync included), so within a lane id order is chain order.
/// <para>
/// Why lanes: with one chain per municipality every host's audited commit of that municipality waited for the other
/// hosts' whole writer transactions. Each Host process appends in a lane of its own (<see cref="AuditLane"/>), so hosts
/// never wait for each other's commits; entries of one process still follow each other in its lane. Lanes are bounded
/// (0..<see cref="AuditLane.Max"/>); lane 0 holds the entries from before lanes and SQLite's, so an existing chain simply
/// continues as lane 0's. The lane is not hashed: a lane is checked as a chain, and an entry moved to another lane breaks
/// both chains' next entries.
/// </para>
/// <para>
/// An entry changed in the database no longer matches its hash; one deleted or moved breaks the next entry's hash in its
/// lane. What a chain cannot show is the newest entries cut off at the end — of any lane now, and a whole lane removed
/// looks like a lane never used; the order of entries across lanes is not sealed either (each lane's order is). A database
/// role that may only INSERT and SELECT (README) is the defence there.
/// </para>
/// <para>
/// Retention removes only the oldest part of a lane and leaves an <see cref="AuditAnchor"/> with the last removed
/// entry's hash (<see cref="AuditPruning"/>); verification starts the lane from there.
/// </para>
/// </summary>
public static class AuditChain
{
    /// <summary>
    /// The PostgreSQL advisory lock that serialises appends to the chain of municipality <c>@tenantId</c>, lane
    /// <c>@lane</c>: the two-key form, so its keys never meet the one-key locks (start-up, sweep) — the first key names the
    /// audit chains ("Exit" in ASCII), the second is the <c>hashtext</c> of municipality and lane. Two chains whose keys
    /// hash alike share a lock, which only serialises them more than needed.
    /// </summary>
    internal const string AppendLockSql = "SELECT pg_advisory_xact_lock(1165518165, hashtext(@tenantId || '/' || @lane::text))";

    /// <summary>
    /// SQL Server's equivalent: an exclusive application lock on the chain (<c>@tenantId</c>, <c>@lane</c>), owned by the
    /// transaction (released at its end), waited for without a timeout; a refusal (deadlock victim, cancelled) fails the
    /// append instead of writing outside the lock.
    /// </summary>
    internal const string SqlServerAppendLockSql = """
        DECLARE @granted int;
        DECLARE @resource nvarchar(255) = N'exit_audit_append/' + @tenantId + N'/' + CAST(@lane AS nvarchar(6));
        EXEC @granted = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @granted < 0 THROW 51000, N'The audit append lock was not granted.', 1;
        """;

    private const int BatchSize = 1000;

    public sealed record Verification(bool Intact, long Checked, long? FirstBrokenId, long? LastId);

    /// <summary>
    /// Appends <paramref name="entry"/> after the current last entry of its lane (<see cref="AuditEntry.Lane"/>) of the
    /// municipality in scope (the entry's own), in one transaction under that lane's append lock.
    /// </summary>
    public static async Task AppendAsync(ExitIdentityDbContext db, AuditEntry entry, CancellationToken ct)
    {
        if (entry.TenantId.Length == 0) entry.TenantId = Exit.Workflows.Tenancy.TenantScope.Required();
        if (db.Database.IsNpgsql())
        {
            await AppendInOneRoundTripAsync(db, entry, ct);
            return;
        }
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await LockAsync(db, entry.TenantId, entry.Lane, ct);
            var previous = await InLaneNewestFirst(db.AuditEntries.AsNoTracking(), entry.Lane).Select(e => e.Hash).FirstOrDefaultAsync(ct);
            entry.Hash = Compute(previous, entry);
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
    }

    /// <summary>
    /// PostgreSQL: the lock and the one-statement insert (<see cref="AuditChainPostgres"/>) as one batch without an explicit
    /// transaction: the server runs a batch's statements in one implicit transaction (Npgsql sends a single Sync after the
    /// last), so the transaction-scoped lock holds until the insert is committed, and it costs one round trip instead of
    /// five (begin, lock, last hash, insert, commit). The entry's <see cref="AuditEntry.Hash"/> is read back.
    /// </summary>
    private static async Task AppendInOneRoundTripAsync(ExitIdentityDbContext db, AuditEntry entry, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = connection.CreateBatch();
            var @lock = batch.CreateBatchCommand();
            @lock.CommandText = AppendLockSql;
            StatementParameters.Declare(@lock.Parameters, @lock.CreateParameter, AuditChainPostgres.Lock.Parameters);
            AuditChainPostgres.BindLock(@lock.Parameters, entry);
            batch.BatchCommands.Add(@lock);
            var insert = batch.CreateBatchCommand();
            insert.CommandText = AuditChainPostgres.Insert.Sql + "\nRETURNING \"Hash\"";
            StatementParameters.Declare(insert.Parameters, insert.CreateParameter, AuditChainPostgres.Insert.Parameters);
            AuditChainPostgres.BindInsert(insert.Parameters, entry);
            batch.BatchCommands.Add(insert);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct); // past the lock's row
            if (await reader.ReadAsync(ct)) entry.Hash = reader.GetString(0);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Appends <paramref name="entry"/> inside a transaction someone else opened and commits (the workflow runtime's
    /// commit, see <see cref="AuditCommitParticipant"/>), with plain SQL on its connection: the same lock, the same hash,
    /// the same columns as <see cref="AppendAsync"/>. On SQLite the caller's transaction must already hold the writer lock.
    /// </summary>
    public static async Task AppendInTransactionAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, AuditEntry entry, CancellationToken ct)
    {
        if (entry.TenantId.Length == 0) entry.TenantId = Exit.Workflows.Tenancy.TenantScope.Required();
        var postgres = provider == DatabaseProvider.Postgres;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // SQL Server: the lock batch returns no result set, so the reader starts at the last hash.
        command.CommandText = provider switch
        {
            DatabaseProvider.Postgres => AppendLockSql + ";\n" + LastHashSql,
            DatabaseProvider.SqlServer => SqlServerLockThenLastHashSql,
            _ => LastHashSql,
        };
        command.AddParameter("@tenantId", entry.TenantId);
        command.AddParameter("@lane", entry.Lane);
        string? previous;
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (postgres) await reader.NextResultAsync(ct).ConfigureAwait(false); // past the lock's empty result
            previous = await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetString(0) : null;
        }

        entry.Hash = Compute(previous, entry);
        command.CommandText = InsertSql;
        command.AddParameter("@at", entry.At.UtcTicks);
        command.AddParameter("@userId", entry.UserId);
        command.AddParameter("@userName", entry.UserName);
        command.AddParameter("@action", entry.Action.ToString());
        command.AddParameter("@resourceType", entry.ResourceType);
        command.AddParameter("@resourceId", entry.ResourceId);
        command.AddParameter("@citizenId", entry.CitizenId);
        command.AddParameter("@purpose", entry.Purpose);
        command.AddParameter("@outcome", entry.Outcome.ToString());
        command.AddParameter("@ip", entry.Ip);
        command.AddParameter("@apiKeyId", entry.ApiKeyId);
        command.AddParameter("@hash", entry.Hash);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    // Raw SQL bypasses the tenant filter: the municipality is named here and in the insert. The lane as a range and in
    // the ORDER BY: see LaneOrder.
    internal const string LastHashSql = "SELECT \"Hash\" FROM \"ExitAuditEntries\" WHERE \"TenantId\" = @tenantId AND " + LaneOrder.NewestFirstSql + " LIMIT 1";

    private const string SqlServerLastHashSql = "SELECT TOP (1) \"Hash\" FROM \"ExitAuditEntries\" WHERE \"TenantId\" = @tenantId AND " + LaneOrder.NewestFirstSql;

    /// <summary>The append's first command on SQL Server (its text is parsed by SqlServerRawSqlTests).</summary>
    internal const string SqlServerLockThenLastHashSql = SqlServerAppendLockSql + "\n" + SqlServerLastHashSql;

    // Columns as ExitIdentityDbContext maps them (instants as UTC ticks, enums as names); CompletionAuditTests read
    // these rows back through EF and verify the chain on both providers.
    internal const string InsertSql = """
        INSERT INTO "ExitAuditEntries" ("TenantId", "Lane", "At", "UserId", "UserName", "Action", "ResourceType", "ResourceId", "CitizenId",
            "Purpose", "Outcome", "Ip", "ApiKeyId", "Hash")
        VALUES (@tenantId, @lane, @at, @userId, @userName, @action, @resourceType, @resourceId, @citizenId, @purpose, @outcome, @ip, @apiKeyId, @hash)
        """;

    /// <summary>
    /// Hashes entries that have no hash yet (written before the chain existed), in id order, as lane 0's chain (every
    /// entry from before lanes is in lane 0). Run once, by the migration that introduced the chain; never again, or
    /// clearing a hash would re-seal a changed entry.
    /// </summary>
    public static async Task SealUnchainedAsync(ExitIdentityDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, Exit.Workflows.Tenancy.TenantScope.Required(), lane: 0, ct);
        string? previous = null;
        long after = 0;
        while (true)
        {
            var batch = await db.AuditEntries.Where(e => e.Lane == 0 && e.Id > after).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var entry in batch)
            {
                entry.Hash ??= Compute(previous, entry);
                previous = entry.Hash;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Checks the chains of the municipality in scope, every lane, whole or only each lane's last <paramref name="tail"/>
    /// entries. Intact only if every lane is; <see cref="Verification.FirstBrokenId"/> is the smallest id that does not
    /// match in any lane, <see cref="Verification.Checked"/> the entries checked in all lanes, <see cref="Verification.LastId"/>
    /// the newest entry checked.
    /// </summary>
    public static async Task<Verification> VerifyAsync(ExitIdentityDbContext db, int? tail, CancellationToken ct)
    {
        long checkedCount = 0;
        long? firstBroken = null;
        long? last = null;
        short? lane = -1;
        // The lanes in use, one index probe each (TenantId, Lane, Id): an unused lane costs nothing.
        while ((lane = await NextLaneAsync(db, lane.Value, ct)) is { } current)
        {
            var result = await VerifyLaneAsync(db, current, tail, ct);
            checkedCount += result.Checked;
            if (result.FirstBrokenId is { } broken && (firstBroken is null || broken < firstBroken)) firstBroken = broken;
            if (result.LastId is { } lastOfLane && (last is null || lastOfLane > last)) last = lastOfLane;
        }

        return new Verification(firstBroken is null, checkedCount, firstBroken, last);
    }

    internal static Task<short?> NextLaneAsync(ExitIdentityDbContext db, short after, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking().Where(e => e.Lane > after).MinAsync(e => (short?)e.Lane, ct);

    /// <summary>
    /// One lane's chain; stops at its first entry that does not match. Read from its start, the lane begins at the hash of
    /// its newest <see cref="AuditAnchor"/> (the last entry retention removed; none: the chain's start), so the first kept
    /// entry must follow that. A pruning that commits while the lane is read removes entries under the reader's feet and
    /// shows as a break; the lane is then read again from the new anchor (a few times at most: prunings are daily).
    /// </summary>
    private static async Task<Verification> VerifyLaneAsync(ExitIdentityDbContext db, short lane, int? tail, CancellationToken ct)
    {
        var anchor = await NewestAnchorAsync(db, lane, ct);
        for (var attempt = 1; ; attempt++)
        {
            var result = await VerifyLaneFromAsync(db, lane, tail, anchor?.Hash, ct);
            if (result.Intact || attempt == 3) return result;
            var newer = await NewestAnchorAsync(db, lane, ct);
            if (newer?.Id == anchor?.Id) return result;
            anchor = newer;
        }
    }

    private sealed record Anchor(long Id, string? Hash);

    private static Task<Anchor?> NewestAnchorAsync(ExitIdentityDbContext db, short lane, CancellationToken ct) =>
        db.AuditAnchors.AsNoTracking().Where(a => a.Lane == lane).OrderByDescending(a => a.Id)
            .Select(a => new Anchor(a.Id, a.LastRemovedHash)).FirstOrDefaultAsync(ct);

    private static async Task<Verification> VerifyLaneFromAsync(ExitIdentityDbContext db, short lane, int? tail, string? anchorHash, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        long after = 0;
        var previous = anchorHash;
        if (tail is { } n)
        {
            // Start after the entry just before the tail; its stored hash is taken as the tail's starting point.
            var start = await InLaneNewestFirst(query, lane).Skip(n).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
            if (start is not null) (after, previous) = (start.Id, start.Hash);
        }

        long checkedCount = 0;
        long? last = null;
        while (true)
        {
            var from = after;
            var batch = await InLane(query, lane).Where(e => e.Id > from)
                .OrderBy(e => e.Lane).ThenBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var entry in batch)
            {
                checkedCount++;
                last = entry.Id;
                if (entry.Hash is null || !string.Equals(entry.Hash, Compute(previous, entry), StringComparison.Ordinal))
                    return new Verification(false, checkedCount, entry.Id, last);
                previous = entry.Hash;
            }

            after = batch[^1].Id;
        }

        return new Verification(true, checkedCount, null, last);
    }

    /// <summary>A lane's entries, the lane as a range: the form <see cref="LaneOrder"/> explains (order by lane, then id).</summary>
    internal static IQueryable<AuditEntry> InLane(IQueryable<AuditEntry> entries, short lane) =>
        entries.Where(e => e.Lane >= lane && e.Lane <= lane);

    /// <summary>A lane's entries, newest first, in the form <see cref="LaneOrder"/> explains.</summary>
    internal static IQueryable<AuditEntry> InLaneNewestFirst(IQueryable<AuditEntry> entries, short lane) =>
        InLane(entries, lane).OrderByDescending(e => e.Lane).ThenByDescending(e => e.Id);

    /// <summary>SHA-256 over the previous hash and every field, each written with its length so no two entries encode alike.</summary>
    public static string Compute(string? previousHash, AuditEntry e)
    {
        var text = new StringBuilder(256);
        Field(text, previousHash);
        text.Append(FieldsText(e));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// What <see cref="Compute"/> hashes after the previous hash: the entry's own fields. PostgreSQL's one-statement
    /// append (<see cref="AuditChainPostgres"/>) sends these bytes and puts the previous hash in front of them itself.
    /// </summary>
    internal static string FieldsText(AuditEntry e)
    {
        var text = new StringBuilder(256);
        Field(text, e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(text, e.UserId);
        Field(text, e.UserName);
        Field(text, e.ApiKeyId);
        Field(text, e.Action.ToString());
        Field(text, e.ResourceType);
        Field(text, e.ResourceId);
        Field(text, e.CitizenId);
        Field(text, e.Purpose);
        Field(text, e.Outcome.ToString());
        Field(text, e.Ip);
        return text.ToString();
    }

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null) text.Append("-|");
        else text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }

    internal static async Task LockAsync(ExitIdentityDbContext db, string tenantId, short lane, CancellationToken ct)
    {
        // SQLite: the transaction began IMMEDIATE and already holds the writer lock.
        var sql = db.Database.IsNpgsql() ? AppendLockSql : db.Database.IsSqlServer() ? SqlServerAppendLockSql : null;
        if (sql is null) return;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        var tenant = command.CreateParameter();
        tenant.ParameterName = "@tenantId";
        tenant.Value = tenantId;
        var laneParameter = command.CreateParameter();
        laneParameter.ParameterName = "@lane";
        laneParameter.DbType = System.Data.DbType.Int16;
        laneParameter.Value = lane;
        await db.Database.ExecuteSqlRawAsync(sql, [tenant, laneParameter], ct);
    }
}

/// <summary>
/// How a lane's entries are read in id order so that the (TenantId, Lane, Id) index serves it, one probe to the
/// newest: the lane as a range (<c>Lane BETWEEN @lane AND @lane</c>) and ordered by lane, then id. With <c>Lane = @lane</c>
/// PostgreSQL knows the lane is one value, takes the order as "by id" and may walk the primary key backwards instead,
/// filtering: cheap for a lane appended to just now, but for a lane whose newest entry is old (lane 0 after the upgrade,
/// the lane of a host that stopped, drawn again once the sequence wraps) it reads every later entry of the table
/// (measured in docs/performance.md, "Issue 11: the audit chain in lanes").
/// </summary>
internal static class LaneOrder
{
    public const string NewestFirstSql = "\"Lane\" BETWEEN @lane AND @lane ORDER BY \"Lane\" DESC, \"Id\" DESC";
}
