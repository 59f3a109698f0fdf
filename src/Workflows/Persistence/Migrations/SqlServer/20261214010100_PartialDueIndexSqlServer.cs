using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Workflows.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PartialDueIndexSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_bookmarks_due_at_id",
                table: "wf_bookmarks");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_due_at_id",
                table: "wf_bookmarks",
                columns: new[] { "due_at", "id" },
                filter: "due_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_bookmarks_due_at_id",
                table: "wf_bookmarks");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_due_at_id",
                table: "wf_bookmarks",
                columns: new[] { "due_at", "id" });
        }
    }
}
