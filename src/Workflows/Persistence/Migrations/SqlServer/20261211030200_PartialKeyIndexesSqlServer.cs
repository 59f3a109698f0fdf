using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Workflows.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PartialKeyIndexesSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_instances_tenant_id_correlation_id",
                table: "wf_instances");

            migrationBuilder.DropIndex(
                name: "ix_wf_bookmarks_tenant_id_kind_key",
                table: "wf_bookmarks");

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_correlation_id",
                table: "wf_instances",
                columns: new[] { "tenant_id", "correlation_id" },
                filter: "correlation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_tenant_id_kind_key",
                table: "wf_bookmarks",
                columns: new[] { "tenant_id", "kind", "key" },
                filter: "\"key\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_instances_tenant_id_correlation_id",
                table: "wf_instances");

            migrationBuilder.DropIndex(
                name: "ix_wf_bookmarks_tenant_id_kind_key",
                table: "wf_bookmarks");

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_correlation_id",
                table: "wf_instances",
                columns: new[] { "tenant_id", "correlation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_tenant_id_kind_key",
                table: "wf_bookmarks",
                columns: new[] { "tenant_id", "kind", "key" });
        }
    }
}
