using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Exit.Activities.HumanTasks.Migrations;

/// <summary>Task and assignment-history tables. Hand-written; store types omitted so SQLite and PostgreSQL share it.</summary>
[DbContext(typeof(TaskDbContext))]
[Migration("20261123170000_CreateHumanTasks")]
public sealed class CreateHumanTasks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: TaskDbContext.TasksTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                Title = table.Column<string>(nullable: false),
                Instructions = table.Column<string>(nullable: true),
                Kind = table.Column<string>(nullable: true),
                Assignee = table.Column<string>(nullable: true),
                Role = table.Column<string>(nullable: true),
                CorrelationId = table.Column<string>(nullable: true),
                InstanceId = table.Column<string>(nullable: false),
                ActivityInstanceId = table.Column<string>(nullable: false),
                ActivityId = table.Column<string>(nullable: false),
                BookmarkKey = table.Column<string>(nullable: false),
                BookmarkId = table.Column<string>(nullable: true),
                DueAt = table.Column<long>(nullable: true),
                DueOrder = table.Column<long>(nullable: false),
                Status = table.Column<string>(nullable: false),
                AllowedOutcomesJson = table.Column<string>(nullable: false),
                FormSchemaJson = table.Column<string>(nullable: true),
                Outcome = table.Column<string>(nullable: true),
                DataJson = table.Column<string>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                CompletedAt = table.Column<long>(nullable: true),
                CompletedBy = table.Column<string>(nullable: true),
                CancelledAt = table.Column<long>(nullable: true),
                Version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_HumanTasks", x => x.Id));

        migrationBuilder.CreateTable(
            name: TaskDbContext.AssignmentsTable,
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                TaskId = table.Column<string>(nullable: false),
                FromAssignee = table.Column<string>(nullable: true),
                ToAssignee = table.Column<string>(nullable: true),
                At = table.Column<long>(nullable: false),
                By = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_HumanTaskAssignments", x => x.Id);
                table.ForeignKey(
                    name: "FK_HumanTaskAssignments_HumanTasks_TaskId",
                    column: x => x.TaskId,
                    principalTable: TaskDbContext.TasksTable,
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("IX_HumanTasks_Status_DueOrder", TaskDbContext.TasksTable, ["Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex("IX_HumanTasks_Assignee_Status_DueOrder", TaskDbContext.TasksTable, ["Assignee", "Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex("IX_HumanTasks_Role_Status_DueOrder", TaskDbContext.TasksTable, ["Role", "Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex("IX_HumanTasks_CorrelationId", TaskDbContext.TasksTable, "CorrelationId");
        migrationBuilder.CreateIndex("IX_HumanTasks_InstanceId", TaskDbContext.TasksTable, "InstanceId");
        migrationBuilder.CreateIndex("IX_HumanTaskAssignments_TaskId", TaskDbContext.AssignmentsTable, "TaskId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(TaskDbContext.AssignmentsTable);
        migrationBuilder.DropTable(TaskDbContext.TasksTable);
    }
}
