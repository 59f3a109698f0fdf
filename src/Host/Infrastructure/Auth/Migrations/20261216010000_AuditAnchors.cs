using Exit.Host.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Exit.Host.Infrastructure.Auth.Migrations;

/// <summary>
/// Retention of the audit log without breaking its chains (<see cref="AuditPruning"/>): the table
/// <c>ExitAuditAnchors</c>, and on PostgreSQL the function that removes a municipality's expired entries and writes the
/// anchors, so that a service role that may only insert into and read the audit tables can still apply retention.
/// </summary>
[DbContext(typeof(ExitIdentityDbContext))]
[Migration(Id)]
public sealed class AuditAnchors : Migration
{
    public const string Id = "20261216010000_AuditAnchors";

    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// SECURITY DEFINER: it runs with the rights of its owner (whoever runs migrations, who owns the tables), which is how
    /// the service role prunes without DELETE of its own; the body is all it can do with them. Per lane it removes only a
    /// prefix — the entries before the lane's first entry written at or after the cutoff; a lane with no such entry keeps
    /// its newest, so later appends still follow a hash in the table — and records the last removed entry's id and hash in
    /// an anchor. A cutoff that is not in the past (the database's clock) is refused. The lane as a range and the ORDER BY
    /// as in <c>LaneOrder</c>, so each probe is one walk of the (TenantId, Lane, Id) index. Instants are UTC ticks.
    /// </summary>
    private const string PostgresFunction = $$"""
        CREATE FUNCTION {{AuditPruning.PostgresFunction}}(tenant text, cutoff bigint) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER
        AS $fn$
        DECLARE
            now_ticks bigint := 621355968000000000 + floor(extract(epoch FROM now()) * 10000000)::bigint;
            lane smallint := -1;
            keep_from bigint;
            last_id bigint;
            last_hash text;
            removed bigint;
            total bigint := 0;
        BEGIN
            IF tenant IS NULL OR cutoff IS NULL OR cutoff >= now_ticks THEN
                RAISE EXCEPTION 'the audit retention cutoff must lie in the past' USING ERRCODE = '22023';
            END IF;
            LOOP
                SELECT min(e."Lane") INTO lane FROM "ExitAuditEntries" e WHERE e."TenantId" = tenant AND e."Lane" > lane;
                EXIT WHEN lane IS NULL;
                SELECT e."Id" INTO keep_from FROM "ExitAuditEntries" e
                    WHERE e."TenantId" = tenant AND e."Lane" BETWEEN lane AND lane AND e."At" >= cutoff
                    ORDER BY e."Lane", e."Id" LIMIT 1;
                IF keep_from IS NULL THEN
                    SELECT e."Id" INTO keep_from FROM "ExitAuditEntries" e
                        WHERE e."TenantId" = tenant AND e."Lane" BETWEEN lane AND lane
                        ORDER BY e."Lane" DESC, e."Id" DESC LIMIT 1;
                END IF;
                last_id := NULL;
                SELECT e."Id", e."Hash" INTO last_id, last_hash FROM "ExitAuditEntries" e
                    WHERE e."TenantId" = tenant AND e."Lane" BETWEEN lane AND lane AND e."Id" < keep_from
                    ORDER BY e."Lane" DESC, e."Id" DESC LIMIT 1;
                CONTINUE WHEN last_id IS NULL;
                DELETE FROM "ExitAuditEntries" e WHERE e."TenantId" = tenant AND e."Lane" = lane AND e."Id" < keep_from;
                GET DIAGNOSTICS removed = ROW_COUNT;
                INSERT INTO "ExitAuditAnchors" ("TenantId", "Lane", "LastRemovedId", "LastRemovedHash", "Cutoff", "Removed", "At")
                    VALUES (tenant, lane, last_id, last_hash, cutoff, removed, now_ticks);
                total := total + removed;
            END LOOP;
            RETURN total;
        END
        $fn$
        """;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: ExitIdentityDbContext.AuditAnchorsTable,
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                TenantId = table.Column<string>(maxLength: 40, nullable: false),
                Lane = table.Column<short>(nullable: false),
                LastRemovedId = table.Column<long>(nullable: false),
                LastRemovedHash = table.Column<string>(maxLength: 64, nullable: true),
                Cutoff = table.Column<long>(nullable: false),
                Removed = table.Column<long>(nullable: false),
                At = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_" + ExitIdentityDbContext.AuditAnchorsTable, x => x.Id));
        migrationBuilder.CreateIndex("IX_ExitAuditAnchors_TenantId_Lane_Id", ExitIdentityDbContext.AuditAnchorsTable, ["TenantId", "Lane", "Id"]);

        if (migrationBuilder.ActiveProvider != PostgresProvider) return;
        migrationBuilder.Sql(PostgresFunction);
        // The search path is fixed to the schema the tables were just created in (pg_temp last), so nobody calling the
        // function can make it act on tables of their own; and only roles granted EXECUTE (README) may call it.
        migrationBuilder.Sql($"""
            DO $$ BEGIN
                EXECUTE format('ALTER FUNCTION {AuditPruning.PostgresFunction}(text, bigint) SET search_path = %I, pg_temp', current_schema());
            END $$
            """);
        migrationBuilder.Sql($"REVOKE ALL ON FUNCTION {AuditPruning.PostgresFunction}(text, bigint) FROM PUBLIC");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == PostgresProvider)
            migrationBuilder.Sql($"DROP FUNCTION {AuditPruning.PostgresFunction}(text, bigint)");
        migrationBuilder.DropTable(ExitIdentityDbContext.AuditAnchorsTable);
    }
}
