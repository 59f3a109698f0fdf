using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Host.Infrastructure.Auth.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditAnchorsSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Only the table: on SQL Server the service prunes and writes the anchors itself (AuditPruning), as on SQLite.
            migrationBuilder.CreateTable(
                name: "ExitAuditAnchors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Lane = table.Column<short>(type: "smallint", nullable: false),
                    LastRemovedId = table.Column<long>(type: "bigint", nullable: false),
                    LastRemovedHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Cutoff = table.Column<long>(type: "bigint", nullable: false),
                    Removed = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExitAuditAnchors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExitAuditAnchors_TenantId_Lane_Id",
                table: "ExitAuditAnchors",
                columns: new[] { "TenantId", "Lane", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExitAuditAnchors");
        }
    }
}
