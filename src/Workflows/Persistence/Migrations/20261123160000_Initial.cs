using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// The first schema, hand-written for SQLite and PostgreSQL alike: no store types (each provider maps the CLR type),
/// no generated keys. Instants are UTC ticks (long). SchemaMatchesModelTests keeps this in step with the model.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261123160000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "wf_definitions",
            columns: t => new
            {
                id = t.Column<string>(nullable: false),
                definition_id = t.Column<string>(nullable: false),
                version = t.Column<int>(nullable: false),
                name = t.Column<string>(nullable: false),
                description = t.Column<string>(nullable: true),
                is_latest = t.Column<bool>(nullable: false),
                is_published = t.Column<bool>(nullable: false),
                created_at = t.Column<long>(nullable: false),
                json = t.Column<string>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_wf_definitions", x => x.id));
        migrationBuilder.CreateIndex("ux_wf_definitions_definition_id_version", "wf_definitions", ["definition_id", "version"], unique: true);
        migrationBuilder.CreateIndex("ix_wf_definitions_is_latest_definition_id", "wf_definitions", ["is_latest", "definition_id"]);
        migrationBuilder.CreateIndex("ix_wf_definitions_is_published_definition_id", "wf_definitions", ["is_published", "definition_id"]);

        migrationBuilder.CreateTable(
            name: "wf_instances",
            columns: t => new
            {
                id = t.Column<string>(nullable: false),
                definition_id = t.Column<string>(nullable: false),
                definition_version_id = t.Column<string>(nullable: false),
                version = t.Column<int>(nullable: false),
                correlation_id = t.Column<string>(nullable: true),
                name = t.Column<string>(nullable: true),
                status = t.Column<int>(nullable: false),
                sub_status = t.Column<int>(nullable: false),
                incident_count = t.Column<int>(nullable: false),
                created_at = t.Column<long>(nullable: false),
                updated_at = t.Column<long>(nullable: false),
                finished_at = t.Column<long>(nullable: true),
                concurrency_version = t.Column<long>(nullable: false),
                state = t.Column<string>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_wf_instances", x => x.id));
        migrationBuilder.CreateIndex("ix_wf_instances_definition_id", "wf_instances", "definition_id");
        migrationBuilder.CreateIndex("ix_wf_instances_correlation_id", "wf_instances", "correlation_id");
        migrationBuilder.CreateIndex("ix_wf_instances_status_sub_status", "wf_instances", ["status", "sub_status"]);
        migrationBuilder.CreateIndex("ix_wf_instances_created_at", "wf_instances", "created_at");

        migrationBuilder.CreateTable(
            name: "wf_bookmarks",
            columns: t => new
            {
                id = t.Column<string>(nullable: false),
                instance_id = t.Column<string>(nullable: false),
                activity_instance_id = t.Column<string>(nullable: false),
                activity_node_id = t.Column<string>(nullable: false),
                kind = t.Column<string>(nullable: false),
                key = t.Column<string>(nullable: true),
                correlation_id = t.Column<string>(nullable: true),
                due_at = t.Column<long>(nullable: true),
                created_at = t.Column<long>(nullable: false),
                payload = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_wf_bookmarks", x => x.id));
        migrationBuilder.CreateIndex("ix_wf_bookmarks_kind_key", "wf_bookmarks", ["kind", "key"]);
        migrationBuilder.CreateIndex("ix_wf_bookmarks_due_at_id", "wf_bookmarks", ["due_at", "id"]);
        migrationBuilder.CreateIndex("ix_wf_bookmarks_instance_id", "wf_bookmarks", "instance_id");

        migrationBuilder.CreateTable(
            name: "wf_journal",
            columns: t => new
            {
                instance_id = t.Column<string>(nullable: false),
                sequence = t.Column<long>(nullable: false),
                timestamp = t.Column<long>(nullable: false),
                activity_instance_id = t.Column<string>(nullable: false),
                parent_activity_instance_id = t.Column<string>(nullable: true),
                activity_id = t.Column<string>(nullable: false),
                activity_type = t.Column<string>(nullable: false),
                activity_type_version = t.Column<int>(nullable: false),
                activity_name = t.Column<string>(nullable: true),
                node_id = t.Column<string>(nullable: false),
                event_name = t.Column<string>(nullable: false),
                message = t.Column<string>(nullable: true),
                activity_state = t.Column<string>(nullable: true),
                payload = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_wf_journal", x => new { x.instance_id, x.sequence }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("wf_journal");
        migrationBuilder.DropTable("wf_bookmarks");
        migrationBuilder.DropTable("wf_instances");
        migrationBuilder.DropTable("wf_definitions");
    }
}
