using Exit.Host.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Host.Infrastructure.Auth.Migrations;

/// <summary>
/// The audit log in lanes (<see cref="AuditChain"/>): a <c>Lane</c> column, 0 for every existing entry, so an existing
/// chain continues as lane 0's (nothing that is hashed changes); the chain index becomes (TenantId, Lane, Id), so a
/// lane's last hash is one index probe. On PostgreSQL also the sequence each Host draws its lane from
/// (<see cref="AuditLane"/>); SQLite appends in lane 0 only and has none.
/// </summary>
[DbContext(typeof(ExitIdentityDbContext))]
[Migration(Id)]
public sealed class AuditLanes : Migration
{
    public const string Id = "20261215010000_AuditLanes";

    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<short>("Lane", ExitIdentityDbContext.AuditTable, nullable: false, defaultValue: (short)0);
        migrationBuilder.DropIndex("IX_ExitAuditEntries_TenantId_Id", ExitIdentityDbContext.AuditTable);
        migrationBuilder.CreateIndex("IX_ExitAuditEntries_TenantId_Lane_Id", ExitIdentityDbContext.AuditTable, ["TenantId", "Lane", "Id"]);
        if (migrationBuilder.ActiveProvider == PostgresProvider)
            migrationBuilder.Sql($"CREATE SEQUENCE \"{AuditLane.SequenceName}\" AS bigint START 1");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == PostgresProvider)
            migrationBuilder.Sql($"DROP SEQUENCE \"{AuditLane.SequenceName}\"");
        migrationBuilder.DropIndex("IX_ExitAuditEntries_TenantId_Lane_Id", ExitIdentityDbContext.AuditTable);
        migrationBuilder.CreateIndex("IX_ExitAuditEntries_TenantId_Id", ExitIdentityDbContext.AuditTable, ["TenantId", "Id"]);
        migrationBuilder.DropColumn("Lane", ExitIdentityDbContext.AuditTable);
    }
}
