using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Exit.Activities.Cti.Persistence.Migrations;

/// <summary>Citizens, courses and evaluations. Hand-written; store types omitted so SQLite and PostgreSQL share it.</summary>
[DbContext(typeof(CtiDbContext))]
[Migration("20261123180000_CreateCti")]
public sealed class CreateCti : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: CtiDbContext.CitizensTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                Alias = table.Column<string>(nullable: false),
                ProtectedCpr = table.Column<string>(nullable: true),
                CreatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CtiCitizens", x => x.Id));

        migrationBuilder.CreateTable(
            name: CtiDbContext.CoursesTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                CitizenId = table.Column<string>(nullable: false),
                InstanceId = table.Column<string>(nullable: false),
                ResponsibleWorker = table.Column<string>(nullable: false),
                Status = table.Column<string>(nullable: false),
                CurrentPeriod = table.Column<string>(nullable: false),
                StartDate = table.Column<long>(nullable: false),
                PlannedEnd = table.Column<long>(nullable: false),
                StateJson = table.Column<string>(nullable: false),
                Version = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CtiCourses", x => x.Id));

        migrationBuilder.CreateTable(
            name: CtiDbContext.EvaluationsTable,
            columns: table => new
            {
                Id = table.Column<string>(nullable: false),
                CourseId = table.Column<string>(nullable: false),
                Kind = table.Column<string>(nullable: false),
                Date = table.Column<long>(nullable: false),
                Who5ItemsJson = table.Column<string>(nullable: true),
                Who5Score = table.Column<int>(nullable: true),
                PaidForSexFrequency = table.Column<string>(nullable: true),
                LifeSituationJson = table.Column<string>(nullable: true),
                LifeSituationTotal = table.Column<int>(nullable: true),
                RecordedBy = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_CtiEvaluations", x => x.Id));

        migrationBuilder.CreateIndex("IX_CtiCourses_Worker_Status", CtiDbContext.CoursesTable, ["ResponsibleWorker", "Status"]);
        migrationBuilder.CreateIndex("IX_CtiCourses_CitizenId", CtiDbContext.CoursesTable, "CitizenId");
        migrationBuilder.CreateIndex("IX_CtiEvaluations_CourseId", CtiDbContext.EvaluationsTable, "CourseId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(CtiDbContext.EvaluationsTable);
        migrationBuilder.DropTable(CtiDbContext.CoursesTable);
        migrationBuilder.DropTable(CtiDbContext.CitizensTable);
    }
}
