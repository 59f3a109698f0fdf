using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Cti.Persistence.Migrations;

/// <summary>Workers' team and full-time equivalent with history (for caseload against the limit). Hand-written; SQLite and PostgreSQL share it.</summary>
[DbContext(typeof(CtiDbContext))]
[Migration("20261208010000_WorkerStaffing")]
public sealed class WorkerStaffing : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: CtiDbContext.StaffingTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                WorkerId = table.Column<string>(nullable: false),
                Team = table.Column<string>(nullable: false),
                FtePercent = table.Column<int>(nullable: false),
                ValidFrom = table.Column<long>(nullable: false),
                RecordedBy = table.Column<string>(nullable: false),
                RecordedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CtiWorkerStaffing", x => x.Id));
        migrationBuilder.CreateIndex("IX_CtiWorkerStaffing_Worker_From", CtiDbContext.StaffingTable, ["WorkerId", "ValidFrom"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(CtiDbContext.StaffingTable);
}
