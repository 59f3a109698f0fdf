using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// Alteration plans and their per-instance jobs (Alterations/), hand-written for SQLite and PostgreSQL alike like the
/// first schema: no store types, no generated keys, instants as UTC ticks.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261208040000_AlterationPlans")]
public sealed class AlterationPlans : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "wf_alteration_plans",
            columns: t => new
            {
                id = t.Column<string>(nullable: false),
                alterations = t.Column<string>(nullable: false),
                filter = t.Column<string>(nullable: false),
                status = t.Column<int>(nullable: false),
                created_by = t.Column<string>(nullable: true),
                created_at = t.Column<long>(nullable: false),
                started_at = t.Column<long>(nullable: true),
                completed_at = t.Column<long>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_wf_alteration_plans", x => x.id));
        migrationBuilder.CreateIndex("ix_wf_alteration_plans_status", "wf_alteration_plans", "status");

        migrationBuilder.CreateTable(
            name: "wf_alteration_jobs",
            columns: t => new
            {
                id = t.Column<string>(nullable: false),
                plan_id = t.Column<string>(nullable: false),
                instance_id = t.Column<string>(nullable: false),
                status = t.Column<int>(nullable: false),
                log = t.Column<string>(nullable: true),
                created_at = t.Column<long>(nullable: false),
                completed_at = t.Column<long>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_wf_alteration_jobs", x => x.id));
        migrationBuilder.CreateIndex("ux_wf_alteration_jobs_plan_id_instance_id", "wf_alteration_jobs", ["plan_id", "instance_id"], unique: true);
        migrationBuilder.CreateIndex("ix_wf_alteration_jobs_plan_id_status", "wf_alteration_jobs", ["plan_id", "status"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("wf_alteration_jobs");
        migrationBuilder.DropTable("wf_alteration_plans");
    }
}
