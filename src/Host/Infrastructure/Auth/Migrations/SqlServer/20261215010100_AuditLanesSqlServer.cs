using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Host.Infrastructure.Auth.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditLanesSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ExitAuditEntries_TenantId_Id",
                table: "ExitAuditEntries");

            migrationBuilder.AddColumn<short>(
                name: "Lane",
                table: "ExitAuditEntries",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.CreateIndex(
                name: "IX_ExitAuditEntries_TenantId_Lane_Id",
                table: "ExitAuditEntries",
                columns: new[] { "TenantId", "Lane", "Id" });

            // Not in the EF model (only the lane draw reads it, with plain SQL): added here by hand.
            migrationBuilder.Sql("CREATE SEQUENCE dbo." + Exit.Host.Infrastructure.Audit.AuditLane.SequenceName + " AS bigint START WITH 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP SEQUENCE dbo." + Exit.Host.Infrastructure.Audit.AuditLane.SequenceName);

            migrationBuilder.DropIndex(
                name: "IX_ExitAuditEntries_TenantId_Lane_Id",
                table: "ExitAuditEntries");

            migrationBuilder.DropColumn(
                name: "Lane",
                table: "ExitAuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_ExitAuditEntries_TenantId_Id",
                table: "ExitAuditEntries",
                columns: new[] { "TenantId", "Id" });
        }
    }
}
