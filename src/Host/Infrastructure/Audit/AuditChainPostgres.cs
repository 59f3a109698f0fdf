using System.Data;
using System.Data.Common;
using System.Text;
using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// PostgreSQL's append as one statement behind the lock, sent in one round trip with it (in the writer's batch, or as a
/// batch of its own): the insert reads the last hash of the entry's municipality and lane and computes the new one itself
/// (<c>sha256</c> over the previous hash as <see cref="AuditChain.Compute"/> writes it, followed by the entry's fields,
/// which the Host encodes), instead of a read, a hash in the Host and an insert in two round trips.
/// The lock is a statement of its own before the insert: under READ COMMITTED each statement reads with a snapshot taken
/// when it starts, so a lock taken inside the insert would leave it reading a last hash from before an append it waited for.
/// </summary>
internal static class AuditChainPostgres
{
    public static readonly CommitStatement Lock = new(AuditChain.AppendLockSql, ("@tenantId", DbType.String), ("@lane", DbType.Int16));

    public static void BindLock(DbParameterCollection p, AuditEntry e)
    {
        p[0].Value = e.TenantId;
        p[1].Value = e.Lane;
    }

    // The previous hash is 64 hex characters (or none), so its part of the text is ASCII and UTF-8 of the whole text is
    // UTF-8 of that part followed by the fields' bytes. Raw SQL bypasses the tenant filter: the municipality is named here.
    // The last hash is one probe of the (TenantId, Lane, Id) index (LaneOrder says why the lane is a range).
    public static readonly CommitStatement Insert = new($"""
        INSERT INTO "ExitAuditEntries" ("TenantId", "Lane", "At", "UserId", "UserName", "Action", "ResourceType", "ResourceId", "CitizenId",
            "Purpose", "Outcome", "Ip", "ApiKeyId", "Hash")
        SELECT @tenantId, @lane, @at, @userId, @userName, @action, @resourceType, @resourceId, @citizenId, @purpose, @outcome, @ip, @apiKeyId,
            encode(sha256(convert_to(CASE WHEN p."Hash" IS NULL THEN '-|' ELSE length(p."Hash")::text || ':' || p."Hash" || '|' END, 'UTF8')
                || @fields), 'hex')
        FROM (SELECT (SELECT "Hash" FROM "ExitAuditEntries" WHERE "TenantId" = @tenantId
            AND {LaneOrder.NewestFirstSql} LIMIT 1) AS "Hash") AS p
        """,
        ("@tenantId", DbType.String), ("@lane", DbType.Int16), ("@at", DbType.Int64), ("@userId", DbType.String), ("@userName", DbType.String),
        ("@action", DbType.String), ("@resourceType", DbType.String), ("@resourceId", DbType.String), ("@citizenId", DbType.String),
        ("@purpose", DbType.String), ("@outcome", DbType.String), ("@ip", DbType.String), ("@apiKeyId", DbType.String),
        ("@fields", DbType.Binary));

    public static void BindInsert(DbParameterCollection p, AuditEntry e)
    {
        p[0].Value = e.TenantId;
        p[1].Value = e.Lane;
        p[2].Value = e.At.UtcTicks;
        p[3].Value = Nullable(e.UserId);
        p[4].Value = Nullable(e.UserName);
        p[5].Value = e.Action.ToString();
        p[6].Value = e.ResourceType;
        p[7].Value = Nullable(e.ResourceId);
        p[8].Value = Nullable(e.CitizenId);
        p[9].Value = Nullable(e.Purpose);
        p[10].Value = e.Outcome.ToString();
        p[11].Value = Nullable(e.Ip);
        p[12].Value = Nullable(e.ApiKeyId);
        p[13].Value = Encoding.UTF8.GetBytes(AuditChain.FieldsText(e));
    }

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;
}
