using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// Municipalities (tenants): every runtime table gets <c>tenant_id</c>. Hand-written for SQLite and PostgreSQL alike.
/// The column is added <c>NOT NULL DEFAULT 'default'</c>, so the rows of a database from before tenancy become
/// municipality <c>default</c> without loss, in place. The default stays (SQLite cannot drop one without rebuilding the
/// table, and both providers should behave alike); nothing relies on it: EF stamps every added row from the scope
/// (<c>TenantStampingInterceptor</c>) and the runtime's own SQL always writes the instance's tenant.
/// Indexes that lists and lookups use for one municipality get the tenant first; a definition's version numbers are
/// unique per municipality (an adopted template keeps the template's definition id). The due-timer index stays
/// tenant-free: the sweep reads every municipality's due timers and resumes each in its own.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261209010000_Tenancy")]
public sealed class Tenancy : Migration
{
    private static readonly string[] Tables =
        ["wf_definitions", "wf_instances", "wf_bookmarks", "wf_journal", "wf_alteration_plans", "wf_alteration_jobs"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            migrationBuilder.AddColumn<string>(name: "tenant_id", table: table, maxLength: 40, nullable: false, defaultValue: "default");

        migrationBuilder.DropIndex(name: "ux_wf_definitions_definition_id_version", table: "wf_definitions");
        migrationBuilder.DropIndex(name: "ix_wf_definitions_is_latest_definition_id", table: "wf_definitions");
        migrationBuilder.DropIndex(name: "ix_wf_definitions_is_published_definition_id", table: "wf_definitions");
        migrationBuilder.CreateIndex("ux_wf_definitions_tenant_id_definition_id_version", "wf_definitions", ["tenant_id", "definition_id", "version"], unique: true);
        migrationBuilder.CreateIndex("ix_wf_definitions_tenant_id_is_latest_definition_id", "wf_definitions", ["tenant_id", "is_latest", "definition_id"]);
        migrationBuilder.CreateIndex("ix_wf_definitions_tenant_id_is_published_definition_id", "wf_definitions", ["tenant_id", "is_published", "definition_id"]);

        migrationBuilder.DropIndex(name: "ix_wf_instances_definition_id", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_correlation_id", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_status_sub_status", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_created_at", table: "wf_instances");
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_definition_id", "wf_instances", ["tenant_id", "definition_id"]);
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_correlation_id", "wf_instances", ["tenant_id", "correlation_id"]);
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_status_sub_status", "wf_instances", ["tenant_id", "status", "sub_status"]);
        migrationBuilder.CreateIndex("ix_wf_instances_tenant_id_created_at", "wf_instances", ["tenant_id", "created_at"]);

        migrationBuilder.DropIndex(name: "ix_wf_bookmarks_kind_key", table: "wf_bookmarks");
        migrationBuilder.CreateIndex("ix_wf_bookmarks_tenant_id_kind_key", "wf_bookmarks", ["tenant_id", "kind", "key"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_wf_bookmarks_tenant_id_kind_key", table: "wf_bookmarks");
        migrationBuilder.CreateIndex("ix_wf_bookmarks_kind_key", "wf_bookmarks", ["kind", "key"]);

        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_definition_id", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_correlation_id", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_status_sub_status", table: "wf_instances");
        migrationBuilder.DropIndex(name: "ix_wf_instances_tenant_id_created_at", table: "wf_instances");
        migrationBuilder.CreateIndex("ix_wf_instances_definition_id", "wf_instances", "definition_id");
        migrationBuilder.CreateIndex("ix_wf_instances_correlation_id", "wf_instances", "correlation_id");
        migrationBuilder.CreateIndex("ix_wf_instances_status_sub_status", "wf_instances", ["status", "sub_status"]);
        migrationBuilder.CreateIndex("ix_wf_instances_created_at", "wf_instances", "created_at");

        migrationBuilder.DropIndex(name: "ux_wf_definitions_tenant_id_definition_id_version", table: "wf_definitions");
        migrationBuilder.DropIndex(name: "ix_wf_definitions_tenant_id_is_latest_definition_id", table: "wf_definitions");
        migrationBuilder.DropIndex(name: "ix_wf_definitions_tenant_id_is_published_definition_id", table: "wf_definitions");
        migrationBuilder.CreateIndex("ux_wf_definitions_definition_id_version", "wf_definitions", ["definition_id", "version"], unique: true);
        migrationBuilder.CreateIndex("ix_wf_definitions_is_latest_definition_id", "wf_definitions", ["is_latest", "definition_id"]);
        migrationBuilder.CreateIndex("ix_wf_definitions_is_published_definition_id", "wf_definitions", ["is_published", "definition_id"]);

        foreach (var table in Tables)
            migrationBuilder.DropColumn(name: "tenant_id", table: table);
    }
}
