using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Workflows.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AlterationJobClaimsSqlServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "wf_alteration_jobs",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "claimed_until",
                table: "wf_alteration_jobs",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "wf_alteration_jobs");

            migrationBuilder.DropColumn(
                name: "claimed_until",
                table: "wf_alteration_jobs");
        }
    }
}
