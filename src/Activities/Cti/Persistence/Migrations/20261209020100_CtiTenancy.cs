using Exit.Activities.Tenancy;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Cti.Persistence.Migrations;

/// <summary>
/// Municipalities: every CTI row (citizens, courses, evaluations, enquiries, contacts, staffing) gets its <c>TenantId</c>
/// (existing rows: <c>default</c>); the intake list's date index and the unique staffing key lead with it. Hand-written;
/// SQLite and PostgreSQL share it.
/// </summary>
[DbContext(typeof(CtiDbContext))]
[Migration("20261209020100_CtiTenancy")]
public sealed class CtiTenancy : Migration
{
    private static readonly string[] Tables =
    [
        CtiDbContext.CitizensTable, CtiDbContext.CoursesTable, CtiDbContext.EvaluationsTable,
        CtiDbContext.EnquiriesTable, CtiDbContext.ContactsTable, CtiDbContext.StaffingTable,
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables) migrationBuilder.AddTenantColumn(table);
        migrationBuilder.DropIndex("IX_CtiEnquiries_ReceivedOn", CtiDbContext.EnquiriesTable);
        migrationBuilder.CreateIndex("IX_CtiEnquiries_ReceivedOn", CtiDbContext.EnquiriesTable, [TenantColumnMigration.Column, "ReceivedOn"]);
        migrationBuilder.DropIndex("IX_CtiWorkerStaffing_Worker_From", CtiDbContext.StaffingTable);
        migrationBuilder.CreateIndex("IX_CtiWorkerStaffing_Worker_From", CtiDbContext.StaffingTable, [TenantColumnMigration.Column, "WorkerId", "ValidFrom"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_CtiEnquiries_ReceivedOn", CtiDbContext.EnquiriesTable);
        migrationBuilder.CreateIndex("IX_CtiEnquiries_ReceivedOn", CtiDbContext.EnquiriesTable, "ReceivedOn");
        migrationBuilder.DropIndex("IX_CtiWorkerStaffing_Worker_From", CtiDbContext.StaffingTable);
        migrationBuilder.CreateIndex("IX_CtiWorkerStaffing_Worker_From", CtiDbContext.StaffingTable, ["WorkerId", "ValidFrom"], unique: true);
        foreach (var table in Tables) migrationBuilder.DropTenantColumn(table);
    }
}
