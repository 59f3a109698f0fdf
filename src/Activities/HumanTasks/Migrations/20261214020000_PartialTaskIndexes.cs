using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.HumanTasks.Migrations;

/// <summary>
/// The role and correlation-id indexes keep only the tasks that have one. Every query on these columns compares them with
/// a value (a list filter, the team queue's roles, a course's tasks), which implies <c>IS NOT NULL</c>, so both planners
/// still use the indexes; a task of no course (or of no role) is written to fewer indexes when it is created and when it
/// is completed. The assignee index stays whole: the team queue finds the unassigned tasks in it (<c>Assignee IS NULL</c>).
/// Hand-written; SQLite and PostgreSQL share it; the SQL Server set has its own migration.
/// </summary>
[DbContext(typeof(TaskDbContext))]
[Migration("20261214020000_PartialTaskIndexes")]
public sealed class PartialTaskIndexes : Migration
{
    private static readonly (string Name, string[] Columns, string Filter)[] Indexes =
    [
        ("IX_HumanTasks_Role_Status_DueOrder", ["TenantId", "Role", "Status", "DueOrder", "Id"], TaskDbContext.RoleNotNull),
        ("IX_HumanTasks_CorrelationId", ["CorrelationId"], TaskDbContext.CorrelationIdNotNull),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var (name, columns, filter) in Indexes)
        {
            migrationBuilder.DropIndex(name, TaskDbContext.TasksTable);
            migrationBuilder.CreateIndex(name, TaskDbContext.TasksTable, columns, filter: filter);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var (name, columns, _) in Indexes)
        {
            migrationBuilder.DropIndex(name, TaskDbContext.TasksTable);
            migrationBuilder.CreateIndex(name, TaskDbContext.TasksTable, columns);
        }
    }
}
