using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// Timer claims, so several hosts on one PostgreSQL database split a due-timer sweep instead of each sweeping
/// everything: the host whose sweep holds a due timer and until when (UTC ticks). Hand-written for SQLite and
/// PostgreSQL alike (SQLite never claims: one host per file; the columns stay null there). The index is partial
/// (only claimed rows), a filter both providers understand.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261208030000_TimerClaims")]
public sealed class TimerClaims : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "claimed_by", table: "wf_bookmarks", nullable: true);
        migrationBuilder.AddColumn<long>(name: "claimed_until", table: "wf_bookmarks", nullable: true);
        migrationBuilder.CreateIndex(
            name: "ix_wf_bookmarks_claimed_until",
            table: "wf_bookmarks",
            column: "claimed_until",
            filter: "claimed_until IS NOT NULL");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_wf_bookmarks_claimed_until", table: "wf_bookmarks");
        migrationBuilder.DropColumn(name: "claimed_until", table: "wf_bookmarks");
        migrationBuilder.DropColumn(name: "claimed_by", table: "wf_bookmarks");
    }
}
