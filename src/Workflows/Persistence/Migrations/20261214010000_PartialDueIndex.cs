using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// The bookmarks' <c>(due_at, id)</c> index keeps only timers (rows with a due time). Every query on it compares
/// <c>due_at</c> with a value or asks for <c>due_at IS NOT NULL</c> (the due-timer page and its claims, the next due time,
/// the timer list), so both planners still use it; a task's or an event's bookmark is no longer written to it when it is
/// added or removed. Hand-written for SQLite and PostgreSQL alike; the SQL Server set has its own migration.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261214010000_PartialDueIndex")]
public sealed class PartialDueIndex : Migration
{
    private const string Name = "ix_wf_bookmarks_due_at_id";
    private static readonly string[] Columns = ["due_at", "id"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: Name, table: WorkflowDbContext.BookmarksTable);
        migrationBuilder.CreateIndex(Name, WorkflowDbContext.BookmarksTable, Columns, filter: WorkflowDbContext.DueAtNotNull);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: Name, table: WorkflowDbContext.BookmarksTable);
        migrationBuilder.CreateIndex(Name, WorkflowDbContext.BookmarksTable, Columns);
    }
}
