using Exit.Activities.Tenancy;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.SupportPersons.Persistence.Migrations;

/// <summary>
/// Municipalities: every row of the scheme gets its <c>TenantId</c> (existing rows: <c>default</c>). A series key
/// (<c>team:…</c>, <c>workers</c>) and a linked user account are unique within a municipality, so those unique indexes
/// lead with it, as does the team index the register lists by. Hand-written; SQLite and PostgreSQL share it.
/// </summary>
[DbContext(typeof(SupportPersonsDbContext))]
[Migration("20261209020200_SupportPersonsTenancy")]
public sealed class SupportPersonsTenancy : Migration
{
    private static readonly string[] Tables =
    [
        SupportPersonsDbContext.SupportPersonsTable, SupportPersonsDbContext.ReferralsTable, SupportPersonsDbContext.MatchesTable,
        SupportPersonsDbContext.SeriesTable, SupportPersonsDbContext.SessionsTable, SupportPersonsDbContext.AttendanceTable,
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables) migrationBuilder.AddTenantColumn(table);
        Reindex(migrationBuilder, [TenantColumnMigration.Column]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        Reindex(migrationBuilder, []);
        foreach (var table in Tables) migrationBuilder.DropTenantColumn(table);
    }

    private static void Reindex(MigrationBuilder migrationBuilder, string[] leading)
    {
        migrationBuilder.DropIndex("IX_SkpSupportPersons_UserName", SupportPersonsDbContext.SupportPersonsTable);
        migrationBuilder.DropIndex("IX_SkpSupportPersons_Team", SupportPersonsDbContext.SupportPersonsTable);
        migrationBuilder.DropIndex("IX_SkpSupervisionSeries_SeriesKey", SupportPersonsDbContext.SeriesTable);
        migrationBuilder.CreateIndex("IX_SkpSupportPersons_UserName", SupportPersonsDbContext.SupportPersonsTable, [.. leading, "UserName"], unique: true);
        migrationBuilder.CreateIndex("IX_SkpSupportPersons_Team", SupportPersonsDbContext.SupportPersonsTable, [.. leading, "Team"]);
        migrationBuilder.CreateIndex("IX_SkpSupervisionSeries_SeriesKey", SupportPersonsDbContext.SeriesTable, [.. leading, "SeriesKey"], unique: true);
    }
}
