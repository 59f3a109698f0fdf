using Exit.Activities.Tenancy;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.HumanTasks.Migrations;

/// <summary>
/// Municipalities: every task and assignment row gets its <c>TenantId</c> (existing rows: <c>default</c>), and the list
/// and overdue indexes lead with it, since every list now runs inside one municipality. Hand-written; SQLite and
/// PostgreSQL share it.
/// </summary>
[DbContext(typeof(TaskDbContext))]
[Migration("20261209020000_TaskTenancy")]
public sealed class TaskTenancy : Migration
{
    private static readonly string[] ListIndexes = ["Status", "Assignee", "Role"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddTenantColumn(TaskDbContext.TasksTable);
        migrationBuilder.AddTenantColumn(TaskDbContext.AssignmentsTable);
        foreach (var leading in ListIndexes) migrationBuilder.DropIndex(Name(leading), TaskDbContext.TasksTable);
        migrationBuilder.CreateIndex(Name("Status"), TaskDbContext.TasksTable, [TenantColumnMigration.Column, "Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex(Name("Assignee"), TaskDbContext.TasksTable, [TenantColumnMigration.Column, "Assignee", "Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex(Name("Role"), TaskDbContext.TasksTable, [TenantColumnMigration.Column, "Role", "Status", "DueOrder", "Id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var leading in ListIndexes) migrationBuilder.DropIndex(Name(leading), TaskDbContext.TasksTable);
        migrationBuilder.CreateIndex(Name("Status"), TaskDbContext.TasksTable, ["Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex(Name("Assignee"), TaskDbContext.TasksTable, ["Assignee", "Status", "DueOrder", "Id"]);
        migrationBuilder.CreateIndex(Name("Role"), TaskDbContext.TasksTable, ["Role", "Status", "DueOrder", "Id"]);
        migrationBuilder.DropTenantColumn(TaskDbContext.AssignmentsTable);
        migrationBuilder.DropTenantColumn(TaskDbContext.TasksTable);
    }

    private static string Name(string leading) =>
        leading == "Status" ? "IX_HumanTasks_Status_DueOrder" : $"IX_HumanTasks_{leading}_Status_DueOrder";
}
