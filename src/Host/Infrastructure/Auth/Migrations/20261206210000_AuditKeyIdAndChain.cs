using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Exit.Host.Infrastructure.Auth.Migrations;

/// <summary>
/// The audit log names the API key a request used (<c>ApiKeyId</c>) and becomes a hash chain (<c>Hash</c>).
/// Entries written before this migration are hashed once by <see cref="IdentityStartup"/> right after it is applied.
/// Also the data-protection key ring's table (<c>PersistKeysToDbContext</c>).
/// </summary>
[DbContext(typeof(ExitIdentityDbContext))]
[Migration(Id)]
public sealed class AuditKeyIdAndChain : Migration
{
    public const string Id = "20261206210000_AuditKeyIdAndChain";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("ApiKeyId", ExitIdentityDbContext.AuditTable, maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>("Hash", ExitIdentityDbContext.AuditTable, maxLength: 64, nullable: true);

        migrationBuilder.CreateTable(
            name: ExitIdentityDbContext.DataProtectionKeysTable,
            columns: table => new
            {
                Id = table.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                FriendlyName = table.Column<string>(nullable: true),
                Xml = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_" + ExitIdentityDbContext.DataProtectionKeysTable, x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(ExitIdentityDbContext.DataProtectionKeysTable);
        migrationBuilder.DropColumn("Hash", ExitIdentityDbContext.AuditTable);
        migrationBuilder.DropColumn("ApiKeyId", ExitIdentityDbContext.AuditTable);
    }
}
