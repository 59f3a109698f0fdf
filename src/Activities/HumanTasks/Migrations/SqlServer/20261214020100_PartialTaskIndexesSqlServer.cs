using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Activities.HumanTasks.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PartialTaskIndexesSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks");

            migrationBuilder.DropIndex(
                name: "IX_HumanTasks_Role_Status_DueOrder",
                table: "HumanTasks");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks",
                column: "CorrelationId",
                filter: "\"CorrelationId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Role_Status_DueOrder",
                table: "HumanTasks",
                columns: new[] { "TenantId", "Role", "Status", "DueOrder", "Id" },
                filter: "\"Role\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks");

            migrationBuilder.DropIndex(
                name: "IX_HumanTasks_Role_Status_DueOrder",
                table: "HumanTasks");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks",
                column: "CorrelationId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Role_Status_DueOrder",
                table: "HumanTasks",
                columns: new[] { "TenantId", "Role", "Status", "DueOrder", "Id" });
        }
    }
}
