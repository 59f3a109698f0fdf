using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Cti.Persistence.Migrations;

/// <summary>The intake register (enquiries before any course) and the citizen's target-group descriptors. Hand-written; SQLite and PostgreSQL share it.</summary>
[DbContext(typeof(CtiDbContext))]
[Migration("20261207020000_IntakeAndTargetGroup")]
public sealed class IntakeAndTargetGroup : Migration
{
    private static readonly string[] DescriptorColumns =
        ["AgeBand", "Gender", "ProstitutionForm", "MainIncome", "Debt", "MentalHealth", "SubstanceUse", "InterpreterNeeded"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var column in DescriptorColumns)
            migrationBuilder.AddColumn<string>(name: column, table: CtiDbContext.CitizensTable, nullable: true);

        migrationBuilder.CreateTable(
            name: CtiDbContext.EnquiriesTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                ReceivedOn = table.Column<long>(nullable: false),
                Channel = table.Column<string>(nullable: false),
                Anonymous = table.Column<bool>(nullable: false),
                Alias = table.Column<string>(nullable: true),
                Decision = table.Column<string>(nullable: true),
                DecidedAt = table.Column<long>(nullable: true),
                CourseId = table.Column<string>(nullable: true),
                RecordedBy = table.Column<string>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CtiEnquiries", x => x.Id));
        migrationBuilder.CreateIndex("IX_CtiEnquiries_ReceivedOn", CtiDbContext.EnquiriesTable, "ReceivedOn");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(CtiDbContext.EnquiriesTable);
        foreach (var column in DescriptorColumns)
            migrationBuilder.DropColumn(name: column, table: CtiDbContext.CitizensTable);
    }
}
