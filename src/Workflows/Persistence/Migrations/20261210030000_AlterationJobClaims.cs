using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// Alteration job claims, so several hosts on one PostgreSQL database split a plan's jobs instead of working the same ones
/// (<c>Alterations/AlterationJobClaim</c>): the host holding a job and until when (UTC ticks). Hand-written for SQLite and
/// PostgreSQL alike (SQLite never claims: one host per file; the columns stay null there).
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261210030000_AlterationJobClaims")]
public sealed class AlterationJobClaims : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "claimed_by", table: "wf_alteration_jobs", nullable: true);
        migrationBuilder.AddColumn<long>(name: "claimed_until", table: "wf_alteration_jobs", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "claimed_until", table: "wf_alteration_jobs");
        migrationBuilder.DropColumn(name: "claimed_by", table: "wf_alteration_jobs");
    }
}
