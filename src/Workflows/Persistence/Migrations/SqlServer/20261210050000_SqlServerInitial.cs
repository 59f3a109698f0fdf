using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Workflows.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SqlServerInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wf_alteration_jobs",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    plan_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    status = table.Column<int>(type: "int", nullable: false),
                    log = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    completed_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_alteration_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_alteration_plans",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    alterations = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    filter = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    status = table.Column<int>(type: "int", nullable: false),
                    created_by = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    started_at = table.Column<long>(type: "bigint", nullable: true),
                    completed_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_alteration_plans", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_bookmarks",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    instance_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    activity_instance_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    activity_node_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    kind = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    key = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    correlation_id = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    due_at = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    claimed_by = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    claimed_until = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_bookmarks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_definitions",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    definition_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    version = table.Column<int>(type: "int", nullable: false),
                    name = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    description = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    is_latest = table.Column<bool>(type: "bit", nullable: false),
                    is_published = table.Column<bool>(type: "bit", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    json = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_definitions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_instances",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    definition_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    definition_version_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    version = table.Column<int>(type: "int", nullable: false),
                    correlation_id = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    name = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    status = table.Column<int>(type: "int", nullable: false),
                    sub_status = table.Column<int>(type: "int", nullable: false),
                    incident_count = table.Column<int>(type: "int", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    finished_at = table.Column<long>(type: "bigint", nullable: true),
                    concurrency_version = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_journal",
                columns: table => new
                {
                    instance_id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    timestamp = table.Column<long>(type: "bigint", nullable: false),
                    activity_instance_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    parent_activity_instance_id = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    activity_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    activity_type = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    activity_type_version = table.Column<int>(type: "int", nullable: false),
                    activity_name = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    node_id = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    event_name = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    message = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    activity_state = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wf_journal", x => new { x.instance_id, x.sequence });
                });

            migrationBuilder.CreateIndex(
                name: "ix_wf_alteration_jobs_plan_id_status",
                table: "wf_alteration_jobs",
                columns: new[] { "plan_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_wf_alteration_jobs_plan_id_instance_id",
                table: "wf_alteration_jobs",
                columns: new[] { "plan_id", "instance_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_alteration_plans_status",
                table: "wf_alteration_plans",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_claimed_until",
                table: "wf_bookmarks",
                column: "claimed_until",
                filter: "claimed_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_due_at_id",
                table: "wf_bookmarks",
                columns: new[] { "due_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_instance_id",
                table: "wf_bookmarks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_tenant_id_kind_key",
                table: "wf_bookmarks",
                columns: new[] { "tenant_id", "kind", "key" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_tenant_id_is_latest_definition_id",
                table: "wf_definitions",
                columns: new[] { "tenant_id", "is_latest", "definition_id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_tenant_id_is_published_definition_id",
                table: "wf_definitions",
                columns: new[] { "tenant_id", "is_published", "definition_id" });

            migrationBuilder.CreateIndex(
                name: "ux_wf_definitions_tenant_id_definition_id_version",
                table: "wf_definitions",
                columns: new[] { "tenant_id", "definition_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_correlation_id",
                table: "wf_instances",
                columns: new[] { "tenant_id", "correlation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_created_at",
                table: "wf_instances",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_definition_id",
                table: "wf_instances",
                columns: new[] { "tenant_id", "definition_id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_tenant_id_status_sub_status",
                table: "wf_instances",
                columns: new[] { "tenant_id", "status", "sub_status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_alteration_jobs");

            migrationBuilder.DropTable(
                name: "wf_alteration_plans");

            migrationBuilder.DropTable(
                name: "wf_bookmarks");

            migrationBuilder.DropTable(
                name: "wf_definitions");

            migrationBuilder.DropTable(
                name: "wf_instances");

            migrationBuilder.DropTable(
                name: "wf_journal");
        }
    }
}
