using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Host.Infrastructure.Auth.Migrations;

/// <summary>
/// Several municipalities in one installation. The municipality table starts with <c>default</c> ("Kommunen"; its
/// display name is configurable, <c>Exit:Municipalities:DefaultName</c>); every existing user, API key and audit entry
/// becomes municipality <c>default</c>, so a single-municipality database carries on unchanged. Users get a nullable
/// <c>MunicipalityId</c> (national users belong to none); API keys and audit entries a required <c>TenantId</c>.
/// The <c>'default'</c> column default is kept after the backfill: the code always writes the tenant itself (EF through
/// the stamping interceptor, the audit chain's raw insert explicitly), and it keeps the migration the same on both
/// providers (SQLite cannot drop a default without rebuilding the table).
/// </summary>
[DbContext(typeof(ExitIdentityDbContext))]
[Migration(Id)]
public sealed class Municipalities : Migration
{
    public const string Id = "20261209030000_Municipalities";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: ExitIdentityDbContext.MunicipalitiesTable,
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 40, nullable: false),
                Name = table.Column<string>(maxLength: 200, nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_" + ExitIdentityDbContext.MunicipalitiesTable, x => x.Id));
        // Plain SQL (no model snapshot to take column types from); the same on both providers.
        migrationBuilder.Sql(
            $"INSERT INTO \"{ExitIdentityDbContext.MunicipalitiesTable}\" (\"Id\", \"Name\", \"CreatedAt\") " +
            $"VALUES ('{Exit.Workflows.Tenancy.TenantIds.Default}', 'Kommunen', {DateTimeOffset.UtcNow.UtcTicks})");

        migrationBuilder.AddColumn<string>("MunicipalityId", "AspNetUsers", maxLength: 40, nullable: true);
        migrationBuilder.Sql("UPDATE \"AspNetUsers\" SET \"MunicipalityId\" = 'default'");
        migrationBuilder.CreateIndex("IX_AspNetUsers_MunicipalityId", "AspNetUsers", "MunicipalityId");

        migrationBuilder.AddColumn<string>("TenantId", ExitIdentityDbContext.ApiKeysTable, maxLength: 40, nullable: false, defaultValue: "default");
        migrationBuilder.CreateIndex("IX_ExitApiKeys_TenantId", ExitIdentityDbContext.ApiKeysTable, "TenantId");

        migrationBuilder.AddColumn<string>("TenantId", ExitIdentityDbContext.AuditTable, maxLength: 40, nullable: false, defaultValue: "default");
        migrationBuilder.CreateIndex("IX_ExitAuditEntries_TenantId_Id", ExitIdentityDbContext.AuditTable, ["TenantId", "Id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_ExitAuditEntries_TenantId_Id", ExitIdentityDbContext.AuditTable);
        migrationBuilder.DropColumn("TenantId", ExitIdentityDbContext.AuditTable);
        migrationBuilder.DropIndex("IX_ExitApiKeys_TenantId", ExitIdentityDbContext.ApiKeysTable);
        migrationBuilder.DropColumn("TenantId", ExitIdentityDbContext.ApiKeysTable);
        migrationBuilder.DropIndex("IX_AspNetUsers_MunicipalityId", "AspNetUsers");
        migrationBuilder.DropColumn("MunicipalityId", "AspNetUsers");
        migrationBuilder.DropTable(ExitIdentityDbContext.MunicipalitiesTable);
    }
}
