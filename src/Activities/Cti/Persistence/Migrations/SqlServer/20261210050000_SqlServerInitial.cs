using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Exit.Activities.Cti.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SqlServerInitial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CtiCitizens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Alias = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ProtectedCpr = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    AgeBand = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Gender = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ProstitutionForm = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    MainIncome = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Debt = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    MentalHealth = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    SubstanceUse = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    InterpreterNeeded = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiCitizens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CtiContacts",
                columns: table => new
                {
                    ContactId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Revision = table.Column<int>(type: "int", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    DurationMinutes = table.Column<int>(type: "int", nullable: false),
                    Place = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    WorkersJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    NetworkMemberIdsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FocusAreasJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    WithCitizen = table.Column<bool>(type: "bit", nullable: false),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiContacts", x => new { x.ContactId, x.Revision });
                });

            migrationBuilder.CreateTable(
                name: "CtiCourses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CitizenId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    InstanceId = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ResponsibleWorker = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    CurrentPeriod = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    StartDate = table.Column<long>(type: "bigint", nullable: false),
                    PlannedEnd = table.Column<long>(type: "bigint", nullable: false),
                    StateJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiCourses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CtiEnquiries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ReceivedOn = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Anonymous = table.Column<bool>(type: "bit", nullable: false),
                    Alias = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Decision = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    CourseId = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiEnquiries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CtiEvaluations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CourseId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Date = table.Column<long>(type: "bigint", nullable: false),
                    Who5ItemsJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Who5Score = table.Column<int>(type: "int", nullable: true),
                    PaidForSexFrequency = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    LifeSituationJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    LifeSituationTotal = table.Column<int>(type: "int", nullable: true),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiEvaluations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CtiWorkerStaffing",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    WorkerId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Team = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FtePercent = table.Column<int>(type: "int", nullable: false),
                    ValidFrom = table.Column<long>(type: "bigint", nullable: false),
                    RecordedBy = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RecordedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CtiWorkerStaffing", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CtiContacts_Course_StartedAt",
                table: "CtiContacts",
                columns: new[] { "CourseId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CtiCourses_CitizenId",
                table: "CtiCourses",
                column: "CitizenId");

            migrationBuilder.CreateIndex(
                name: "IX_CtiCourses_Worker_Status",
                table: "CtiCourses",
                columns: new[] { "ResponsibleWorker", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CtiEnquiries_ReceivedOn",
                table: "CtiEnquiries",
                columns: new[] { "TenantId", "ReceivedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_CtiEvaluations_CourseId",
                table: "CtiEvaluations",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_CtiWorkerStaffing_Worker_From",
                table: "CtiWorkerStaffing",
                columns: new[] { "TenantId", "WorkerId", "ValidFrom" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CtiCitizens");

            migrationBuilder.DropTable(
                name: "CtiContacts");

            migrationBuilder.DropTable(
                name: "CtiCourses");

            migrationBuilder.DropTable(
                name: "CtiEnquiries");

            migrationBuilder.DropTable(
                name: "CtiEvaluations");

            migrationBuilder.DropTable(
                name: "CtiWorkerStaffing");
        }
    }
}
