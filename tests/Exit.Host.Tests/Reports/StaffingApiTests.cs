using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Domain;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Host.Tests.Reports;

/// <summary>
/// A manager records a CTI worker's team and full-time equivalent through <c>/api/cti/staffing</c> (SQLite and
/// PostgreSQL): bad input is refused naming each field with nothing stored, a second row for the same date is a 409, the
/// list shows the row, the entry is audited, and the fidelity report's caseload for that team now counts the worker with
/// a capacity of the limit × the recorded full-time equivalent.
/// </summary>
public abstract class StaffingApiTests
{
    private const string Team = "Team Bemanding";
    private const string Worker = "bemanding@exit.test";

    protected abstract IHostDatabase NewDatabase();

    [DatabaseFact]
    public async Task RecordedStaffing_IsListed_Audited_AndShowsInTheFidelityReport()
    {
        await using var database = NewDatabase();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
        var host = await database.CreateHostAsync(clock);
        var manager = host.CreateClientAs(ExitRoles.Manager);
        using (var scope = host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = Worker, Email = Worker, EmailConfirmed = true };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Exit.Host.Infrastructure.Tenancy.UserMunicipalities>()
                .CreateAsync(user, "Staffing-Test-2026!", Exit.Workflows.Tenancy.TenantIds.Default)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, ExitRoles.Worker)).Succeeded);
        }

        var citizen = await manager.PostAsJsonAsync("/api/citizens", new { alias = "Bemanding" });
        var citizenId = (string)(await citizen.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var course = await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker = Worker, goal = "Exit" });
        Assert.True(course.StatusCode == HttpStatusCode.Created, await course.Content.ReadAsStringAsync());

        // Without staffing the team has nobody in the caseload figure.
        var march = await MarchAsync(manager);
        Assert.Equal((0, 0, 0), ((int)march["workers"]!, (int)march["capacity"]!, (int)march["activeCourses"]!));

        // Every bad field named at once; nothing stored.
        var bad = await manager.PostAsJsonAsync("/api/cti/staffing", new { worker = "", team = " ", fullTimeEquivalent = 1.5, from = "16-03-2026" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["from", "fullTimeEquivalent", "team", "worker"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        var unknown = await manager.PostAsJsonAsync("/api/cti/staffing", new { worker = "nobody@exit.test", team = Team, fullTimeEquivalent = 0.5, from = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["worker"], (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        var third = await manager.PostAsJsonAsync("/api/cti/staffing", new { worker = Worker, team = Team, fullTimeEquivalent = 0.333, from = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, third.StatusCode);
        Assert.Empty((await manager.GetFromJsonAsync<JsonArray>("/api/cti/staffing"))!);

        // Recorded (the user name matched whatever its case), listed, audited.
        var recorded = await manager.PostAsJsonAsync("/api/cti/staffing", new { worker = Worker.ToUpperInvariant(), team = Team, fullTimeEquivalent = 0.5, from = "2026-01-01" });
        Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var row = Assert.Single((await manager.GetFromJsonAsync<JsonArray>("/api/cti/staffing"))!)!;
        Assert.Equal((Worker, Team, 0.5m, "2026-01-01"), ((string)row["worker"]!, (string)row["team"]!, (decimal)row["fullTimeEquivalent"]!, (string)row["from"]!));
        using (var scope = host.Services.CreateScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
            Assert.True(await audit.AuditEntries.AnyAsync(e => e.ResourceType == "RecordStaffing" && e.Action == AuditAction.Change && e.Purpose == "management: staffing"));
        }

        // The same worker and date again: 409 naming the date, still one row.
        var again = await manager.PostAsJsonAsync("/api/cti/staffing", new { worker = Worker, team = Team, fullTimeEquivalent = 1.0, from = "2026-01-01" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.NotNull((await again.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["from"]);
        Assert.Single((await manager.GetFromJsonAsync<JsonArray>("/api/cti/staffing"))!);

        // The fidelity report now counts the worker in the team: capacity is the limit for a half-time worker.
        march = await MarchAsync(manager);
        Assert.Equal((1, Caseload.MaxCitizensPerFullTimeWorker / 2, 1, 1),
            ((int)march["workers"]!, (int)march["capacity"]!, (int)march["activeCourses"]!, (int)march["workersWithCourses"]!));
    }

    private static async Task<JsonNode> MarchAsync(HttpClient manager)
    {
        var report = await manager.GetFromJsonAsync<JsonObject>($"/api/cti/fidelity-report?team={Uri.EscapeDataString(Team)}");
        return report!["report"]!["caseload"]!.AsArray().Single(m => (string)m!["month"]! == "2026-03-01")!;
    }
}

public sealed class SqliteStaffingApiTests : StaffingApiTests
{
    protected override IHostDatabase NewDatabase() => new SqliteHostDatabase();
}

[RequiresPostgres]
public sealed class PostgresStaffingApiTests : StaffingApiTests
{
    protected override IHostDatabase NewDatabase() => new PostgresHostDatabase();
}
