using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.SupportPersons.Persistence.Migrations;

/// <summary>The SKP register, referrals, matches and supervision series. Hand-written; SQLite and PostgreSQL share it.</summary>
[DbContext(typeof(SupportPersonsDbContext))]
[Migration("20261208020000_CreateSupportPersons")]
public sealed class CreateSupportPersons : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.SupportPersonsTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                DisplayName = table.Column<string>(nullable: false),
                Team = table.Column<string>(nullable: false),
                LanguagesJson = table.Column<string>(nullable: false),
                AgreementStart = table.Column<string>(nullable: false),
                HoursPerWeek = table.Column<int>(nullable: false),
                AcuteAvailability = table.Column<string>(nullable: false),
                ConfidentialitySignedOn = table.Column<string>(nullable: true),
                Status = table.Column<string>(nullable: false),
                UserName = table.Column<string>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
                Version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SkpSupportPersons", x => x.Id));
        migrationBuilder.CreateIndex("IX_SkpSupportPersons_UserName", SupportPersonsDbContext.SupportPersonsTable, "UserName", unique: true);
        migrationBuilder.CreateIndex("IX_SkpSupportPersons_Team", SupportPersonsDbContext.SupportPersonsTable, "Team");

        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.ReferralsTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                CourseId = table.Column<string>(nullable: false),
                CitizenId = table.Column<string>(nullable: false),
                ReferredBy = table.Column<string>(nullable: false),
                ReferredAt = table.Column<long>(nullable: false),
                MatchId = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_SkpReferrals", x => x.Id));
        migrationBuilder.CreateIndex("IX_SkpReferrals_CourseId", SupportPersonsDbContext.ReferralsTable, "CourseId");

        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.MatchesTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                SupportPersonId = table.Column<string>(nullable: false),
                CourseId = table.Column<string>(nullable: false),
                CitizenId = table.Column<string>(nullable: false),
                NetworkMemberId = table.Column<string>(nullable: false),
                StartOn = table.Column<string>(nullable: false),
                HoursPerWeek = table.Column<int>(nullable: false),
                EndOn = table.Column<string>(nullable: true),
                CreatedBy = table.Column<string>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SkpMatches", x => x.Id));
        migrationBuilder.CreateIndex("IX_SkpMatches_SupportPersonId", SupportPersonsDbContext.MatchesTable, "SupportPersonId");
        migrationBuilder.CreateIndex("IX_SkpMatches_CourseId", SupportPersonsDbContext.MatchesTable, "CourseId");

        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.SeriesTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                SeriesKey = table.Column<string>(nullable: false),
                Kind = table.Column<string>(nullable: false),
                Team = table.Column<string>(nullable: true),
                Cadence = table.Column<string>(nullable: false),
                Format = table.Column<string>(nullable: false),
                FirstPeriod = table.Column<string>(nullable: false),
                Active = table.Column<bool>(nullable: false),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SkpSupervisionSeries", x => x.Id));
        migrationBuilder.CreateIndex("IX_SkpSupervisionSeries_SeriesKey", SupportPersonsDbContext.SeriesTable, "SeriesKey", unique: true);

        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.SessionsTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                SeriesId = table.Column<string>(nullable: false),
                PeriodStart = table.Column<string>(nullable: false),
                PlannedAt = table.Column<long>(nullable: false),
                Status = table.Column<string>(nullable: false),
                Format = table.Column<string>(nullable: false),
                HeldOn = table.Column<string>(nullable: true),
                RecordedBy = table.Column<string>(nullable: true),
                RecordedAt = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_SkpSupervisionSessions", x => x.Id));
        migrationBuilder.CreateIndex("IX_SkpSupervisionSessions_Series_Period", SupportPersonsDbContext.SessionsTable, ["SeriesId", "PeriodStart"], unique: true);

        migrationBuilder.CreateTable(
            name: SupportPersonsDbContext.AttendanceTable,
            columns: table => new
            {
                SessionId = table.Column<string>(nullable: false),
                SupportPersonId = table.Column<string>(nullable: false),
                Attended = table.Column<bool>(nullable: false),
                Note = table.Column<string>(nullable: true),
                RecordedBy = table.Column<string>(nullable: false),
                RecordedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SkpSupervisionAttendance", x => new { x.SessionId, x.SupportPersonId }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(SupportPersonsDbContext.AttendanceTable);
        migrationBuilder.DropTable(SupportPersonsDbContext.SessionsTable);
        migrationBuilder.DropTable(SupportPersonsDbContext.SeriesTable);
        migrationBuilder.DropTable(SupportPersonsDbContext.MatchesTable);
        migrationBuilder.DropTable(SupportPersonsDbContext.ReferralsTable);
        migrationBuilder.DropTable(SupportPersonsDbContext.SupportPersonsTable);
    }
}
