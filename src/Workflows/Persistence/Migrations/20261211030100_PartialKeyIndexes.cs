using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// Two indexes leave out the rows they are never used for: the bookmarks' <c>(tenant_id, kind, key)</c> only keyed
/// bookmarks (a timer has no key and is found by its due time), the instances' <c>(tenant_id, correlation_id)</c> only
/// instances with a correlation id. Every query on these columns compares them with a value (the event, task and course
/// lookups), which implies <c>IS NOT NULL</c>, so SQLite's and PostgreSQL's planners still use the index. Hand-written for
/// SQLite and PostgreSQL alike; the SQL Server set has its own migration.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261211030100_PartialKeyIndexes")]
public sealed class PartialKeyIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_wf_bookmarks_tenant_id_kind_key", table: "wf_bookmarks");
        migrationBuilder.CreateIndex("ix_wf_bookmarks_tenant_id_kind_key", "wf_bookmarks", ["tenant_id", "kind", "key"],
            filter: WorkflowDbContext.KeyNotNull);
        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_correlation_id", table: "wf_instances");
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_correlation_id", "wf_instances", ["tenant_id", "correlation_id"],
            filter: WorkflowDbContext.CorrelationIdNotNull);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_correlation_id", table: "wf_instances");
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_correlation_id", "wf_instances", ["tenant_id", "correlation_id"]);
        migrationBuilder.DropIndex(name: "ix_wf_bookmarks_tenant_id_kind_key", table: "wf_bookmarks");
        migrationBuilder.CreateIndex("ix_wf_bookmarks_tenant_id_kind_key", "wf_bookmarks", ["tenant_id", "kind", "key"]);
    }
}
