using Exit.Activities.Cti.Persistence;
using Exit.Activities.HumanTasks;
using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exit.Activities.Tests.Tenancy;

/// <summary>
/// A database from before municipalities: the stores migrated up to their last migration before tenancy, rows written
/// the way that version wrote them (no tenant column), then the tenancy migrations. Every row is municipality
/// <c>default</c>'s afterwards, seen from it and not from <c>aarhus</c>; and Aarhus may then use a team name and a user
/// name that Copenhagen's old rows already have.
/// </summary>
public abstract class TenancyMigrationTests
{
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task ExistingDatabase_AfterTheTenancyMigrations_KeepsEveryRowInDefault()
    {
        await using var database = await CreateDatabaseAsync();
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var cti = new CtiDbContextFactory(new CtiStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var skp = new SupportPersonsDbContextFactory(new SupportPersonsStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });

        await using (var db = tasks.Create())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261123170000_CreateHumanTasks");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "HumanTasks" ("Id", "Title", "InstanceId", "ActivityInstanceId", "ActivityId", "BookmarkKey", "DueOrder", "Status",
                    "AllowedOutcomesJson", "CreatedAt", "Version", "Role")
                VALUES ('old-task', 'Kontakt', 'i-1', 'ai-1', 'a-1', 'old-task', 1, 'Open', '["Done"]', 1, 1, 'worker')
                """);
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "HumanTaskAssignments" ("TaskId", "ToAssignee", "At") VALUES ('old-task', 'anna', 1)""");
        }

        await using (var db = cti.Create())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261208010000_WorkerStaffing");
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "CtiCitizens" ("Id", "Alias", "CreatedAt") VALUES ('c-1', 'Borger', 1)""");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "CtiEnquiries" ("Id", "ReceivedOn", "Channel", "Anonymous", "RecordedBy", "CreatedAt")
                VALUES ('e-1', 1, 'Outreach', FALSE, 'anna', 1)
                """);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "CtiWorkerStaffing" ("Id", "WorkerId", "Team", "FtePercent", "ValidFrom", "RecordedBy", "RecordedAt")
                VALUES ('s-1', 'anna', 'Team A', 100, 1, 'boss', 1)
                """);
        }

        await using (var db = skp.Create())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261208020000_CreateSupportPersons");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SkpSupportPersons" ("Id", "DisplayName", "Team", "LanguagesJson", "AgreementStart", "HoursPerWeek", "AcuteAvailability",
                    "ConfidentialitySignedOn", "Status", "UserName", "CreatedAt", "UpdatedAt", "Version")
                VALUES ('0193a000-0000-7000-8000-000000000001', 'Gammel SKP', 'Nord', '[]', '2026-01-01', 3, 'telefon', '2026-01-01', 'Active', 'skp@exit.demo', 1, 1, 1)
                """);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SkpSupervisionSeries" ("Id", "SeriesKey", "Kind", "Team", "Cadence", "Format", "FirstPeriod", "Active", "CreatedAt")
                VALUES ('0193a000-0000-7000-8000-0000000000a1', 'team:NORD', 'SupportPersonTeam', 'Nord', 'Monthly', 'Group', '2026-01-01', TRUE, 1)
                """);
        }

        await using (var db = tasks.Create()) await db.Database.MigrateAsync();
        await using (var db = cti.Create()) await db.Database.MigrateAsync();
        await using (var db = skp.Create()) await db.Database.MigrateAsync();

        await using (var db = tasks.Create())
        {
            Assert.Equal([TenantIds.Default], await db.Tasks.IgnoreQueryFilters().Select(t => t.TenantId).ToListAsync());
            Assert.Equal([TenantIds.Default], await db.Assignments.IgnoreQueryFilters().Select(t => t.TenantId).ToListAsync());
        }

        await using (var db = cti.Create())
        {
            Assert.Equal([TenantIds.Default], await db.Citizens.IgnoreQueryFilters().Select(t => t.TenantId).ToListAsync());
            Assert.Equal([TenantIds.Default], await db.Enquiries.IgnoreQueryFilters().Select(t => t.TenantId).ToListAsync());
            Assert.Equal([TenantIds.Default], await db.Staffing.IgnoreQueryFilters().Select(t => t.TenantId).ToListAsync());
        }

        var clock = new Exit.Workflows.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var series = new SupervisionSeriesService(skp, clock, NullLogger<SupervisionSeriesService>.Instance);
        var register = new SupportPersonRegister(skp, series, clock, NullLogger<SupportPersonRegister>.Instance);
        using (TenantScope.Enter(TenantIds.Default))
        {
            Assert.Equal("anna", (await new TaskQueries(tasks, clock).GetAsync("old-task", default))!.Assignments.Single().To);
            await using var ctiDb = cti.Create();
            Assert.Equal(["c-1"], await ctiDb.Citizens.Select(c => c.Id).ToListAsync());
            Assert.Equal(["Gammel SKP"], (await register.ListAsync(default)).Select(p => p.DisplayName));
        }

        using (TenantScope.Enter("aarhus"))
        {
            await using var db = tasks.Create();
            Assert.Empty(await db.Tasks.ToListAsync());
            await using var ctiDb = cti.Create();
            Assert.Empty(await ctiDb.Citizens.ToListAsync());
            Assert.Empty(await ctiDb.Staffing.ToListAsync());
            Assert.Empty(await register.ListAsync(default));

            // Unique within a municipality now: Aarhus' own team "Nord" and the same linked user name are accepted.
            var profile = new SupportPersonProfile("Ny SKP", "Nord", [], new DateOnly(2026, 11, 1), 3, "telefon", new DateOnly(2026, 11, 1), SupportPersonStatus.Active, "skp@exit.demo");
            await register.RegisterAsync(profile, default);
            Assert.Equal("Nord", Assert.Single(await series.SeriesAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), false, default)).Team);
        }

        using (TenantScope.Enter(TenantIds.Default))
            Assert.Equal(Guid.Parse("0193a000-0000-7000-8000-0000000000a1"),
                Assert.Single(await series.SeriesAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), false, default)).Id);
    }
}

public sealed class SqliteTenancyMigrationTests : TenancyMigrationTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresTenancyMigrationTests : TenancyMigrationTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
