using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Workflows.Persistence.Migrations;

/// <summary>
/// On SQLite the journal becomes a <c>WITHOUT ROWID</c> table: its rows are stored in the order of their primary key
/// <c>(instance_id, sequence)</c> instead of a hidden rowid, so the key is no longer kept twice (the table plus a separate
/// key index of ~36 B per row, ~350 B per instance waiting on a timer). Measured (docs/performance.md, "Issue 13: bytes per
/// instance waiting on a timer, fourth round"): completions insert into the middle of the key order and leave pages less
/// full than appends did, but the table still ends ~230 B per instance smaller than table plus index. Every query reads the
/// journal by instance and sequence, which is now the table's own order.
/// SQLite cannot change a table to <c>WITHOUT ROWID</c> in place: the table is rebuilt (same columns, types, defaults and
/// key) and its rows copied. PostgreSQL (heap plus key index) and SQL Server (the key is clustered already) are unchanged.
/// A later EF migration that rebuilds this table on SQLite (EF does that for some column changes) would make it a rowid
/// table again: such a migration must keep <c>WITHOUT ROWID</c> by hand.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261211030000_JournalWithoutRowid")]
public sealed class JournalWithoutRowid : Migration
{
    private const string Columns =
        "\"instance_id\", \"sequence\", \"timestamp\", \"activity_instance_id\", \"parent_activity_instance_id\", \"activity_id\", " +
        "\"activity_type\", \"activity_type_version\", \"activity_name\", \"node_id\", \"event_name\", \"message\", \"activity_state\", " +
        "\"payload\", \"tenant_id\"";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider != SqliteProvider) return;
        Rebuild(migrationBuilder, " WITHOUT ROWID");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider != SqliteProvider) return;
        Rebuild(migrationBuilder, "");
    }

    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    private static void Rebuild(MigrationBuilder migrationBuilder, string tableOptions)
    {
        migrationBuilder.Sql(
            """
            CREATE TABLE "ef_temp_wf_journal" (
                "instance_id" TEXT NOT NULL,
                "sequence" INTEGER NOT NULL,
                "timestamp" INTEGER NOT NULL,
                "activity_instance_id" TEXT NOT NULL,
                "parent_activity_instance_id" TEXT NULL,
                "activity_id" TEXT NOT NULL,
                "activity_type" TEXT NOT NULL,
                "activity_type_version" INTEGER NOT NULL,
                "activity_name" TEXT NULL,
                "node_id" TEXT NOT NULL,
                "event_name" TEXT NOT NULL,
                "message" TEXT NULL,
                "activity_state" TEXT NULL,
                "payload" TEXT NULL,
                "tenant_id" TEXT NOT NULL DEFAULT 'default',
                CONSTRAINT "pk_wf_journal" PRIMARY KEY ("instance_id", "sequence")
            )
            """ + tableOptions + ";");
        migrationBuilder.Sql($"INSERT INTO \"ef_temp_wf_journal\" ({Columns}) SELECT {Columns} FROM \"wf_journal\" ORDER BY \"instance_id\", \"sequence\";");
        migrationBuilder.Sql("DROP TABLE \"wf_journal\";");
        migrationBuilder.Sql("ALTER TABLE \"ef_temp_wf_journal\" RENAME TO \"wf_journal\";");
    }
}
