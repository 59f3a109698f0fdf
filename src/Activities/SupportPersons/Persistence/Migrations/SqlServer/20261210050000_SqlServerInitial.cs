using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Activities.SupportPersons.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SqlServerInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SkpMatches",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    SupportPersonId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    CitizenId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    NetworkMemberId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    StartOn = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    HoursPerWeek = table.Column<int>(type: "int", nullable: false),
                    EndOn = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpMatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SkpReferrals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    CitizenId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ReferredBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ReferredAt = table.Column<long>(type: "bigint", nullable: false),
                    MatchId = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpReferrals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SkpSupervisionAttendance",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    SupportPersonId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Attended = table.Column<bool>(type: "bit", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpSupervisionAttendance", x => new { x.SessionId, x.SupportPersonId });
                });

            migrationBuilder.CreateTable(
                name: "SkpSupervisionSeries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    SeriesKey = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Team = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Cadence = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Format = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FirstPeriod = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Active = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpSupervisionSeries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SkpSupervisionSessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    SeriesId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    PeriodStart = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    PlannedAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Format = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    HeldOn = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpSupervisionSessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SkpSupportPersons",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Team = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    LanguagesJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AgreementStart = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    HoursPerWeek = table.Column<int>(type: "int", nullable: false),
                    AcuteAvailability = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ConfidentialitySignedOn = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    UserName = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkpSupportPersons", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SkpMatches_CourseId",
                table: "SkpMatches",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_SkpMatches_SupportPersonId",
                table: "SkpMatches",
                column: "SupportPersonId");

            migrationBuilder.CreateIndex(
                name: "IX_SkpReferrals_CourseId",
                table: "SkpReferrals",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_SkpSupervisionSeries_SeriesKey",
                table: "SkpSupervisionSeries",
                columns: new[] { "TenantId", "SeriesKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SkpSupervisionSessions_Series_Period",
                table: "SkpSupervisionSessions",
                columns: new[] { "SeriesId", "PeriodStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SkpSupportPersons_Team",
                table: "SkpSupportPersons",
                columns: new[] { "TenantId", "Team" });

            migrationBuilder.CreateIndex(
                name: "IX_SkpSupportPersons_UserName",
                table: "SkpSupportPersons",
                columns: new[] { "TenantId", "UserName" },
                unique: true,
                filter: "[UserName] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SkpMatches");

            migrationBuilder.DropTable(
                name: "SkpReferrals");

            migrationBuilder.DropTable(
                name: "SkpSupervisionAttendance");

            migrationBuilder.DropTable(
                name: "SkpSupervisionSeries");

            migrationBuilder.DropTable(
                name: "SkpSupervisionSessions");

            migrationBuilder.DropTable(
                name: "SkpSupportPersons");
        }
    }
}
