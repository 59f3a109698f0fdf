using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Cti.Persistence.Migrations;

/// <summary>The contact log: one row per revision of a contact (corrections keep history). Hand-written for SQLite and PostgreSQL.</summary>
[DbContext(typeof(CtiDbContext))]
[Migration("20261207010000_AddContacts")]
public sealed class AddContacts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: CtiDbContext.ContactsTable,
            columns: table => new
            {
                ContactId = table.Column<string>(nullable: false),
                Revision = table.Column<int>(nullable: false),
                CourseId = table.Column<string>(nullable: false),
                Kind = table.Column<string>(nullable: false),
                StartedAt = table.Column<long>(nullable: false),
                DurationMinutes = table.Column<int>(nullable: false),
                Place = table.Column<string>(nullable: false),
                WorkersJson = table.Column<string>(nullable: false),
                NetworkMemberIdsJson = table.Column<string>(nullable: false),
                FocusAreasJson = table.Column<string>(nullable: false),
                Note = table.Column<string>(nullable: true),
                WithCitizen = table.Column<bool>(nullable: false),
                RecordedBy = table.Column<string>(nullable: false),
                RecordedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CtiContacts", x => new { x.ContactId, x.Revision }));
        migrationBuilder.CreateIndex("IX_CtiContacts_Course_StartedAt", CtiDbContext.ContactsTable, ["CourseId", "StartedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(CtiDbContext.ContactsTable);
}
