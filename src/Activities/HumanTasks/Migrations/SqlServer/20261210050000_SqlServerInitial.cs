using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Activities.HumanTasks.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SqlServerInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HumanTasks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Instructions = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Kind = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Assignee = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    Role = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    CorrelationId = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    InstanceId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    ActivityInstanceId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ActivityId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    BookmarkKey = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    BookmarkId = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    DueAt = table.Column<long>(type: "bigint", nullable: true),
                    DueOrder = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    AllowedOutcomesJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FormSchemaJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Outcome = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    DataJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    CompletedAt = table.Column<long>(type: "bigint", nullable: true),
                    CompletedBy = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    CancelledAt = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HumanTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HumanTaskAssignments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TaskId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    FromAssignee = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ToAssignee = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    By = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HumanTaskAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HumanTaskAssignments_HumanTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "HumanTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HumanTaskAssignments_TaskId",
                table: "HumanTaskAssignments",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Assignee_Status_DueOrder",
                table: "HumanTasks",
                columns: new[] { "TenantId", "Assignee", "Status", "DueOrder", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_CorrelationId",
                table: "HumanTasks",
                column: "CorrelationId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_InstanceId",
                table: "HumanTasks",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Role_Status_DueOrder",
                table: "HumanTasks",
                columns: new[] { "TenantId", "Role", "Status", "DueOrder", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HumanTasks_Status_DueOrder",
                table: "HumanTasks",
                columns: new[] { "TenantId", "Status", "DueOrder", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HumanTaskAssignments");

            migrationBuilder.DropTable(
                name: "HumanTasks");
        }
    }
}
