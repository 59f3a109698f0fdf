using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Privacy;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exit.Host.Tests.Privacy;

/// <summary>
/// The service on PostgreSQL connected as the role the README recommends (its SQL run as written, under a name of this
/// test's own): INSERT and SELECT only on the audit tables, EXECUTE on the pruning function. The daily retention job, on
/// the manual clock, removes the expired courses of two municipalities and their expired audit entries; each pruned lane
/// has an anchor, the chain check calls both logs intact, and the role still cannot delete audit entries itself. A role
/// made without the function's grant (an installation that has not run the new line yet) still gets every municipality's
/// expired courses removed, and the run reports the municipalities whose audit entries it could not prune.
/// </summary>
[RequiresPostgres]
public sealed partial class PostgresRestrictedRoleRetentionTests
{
    private const string Aarhus = TestApiKeys.OtherMunicipality;
    private const int Days = 30;

    [DatabaseFact]
    public Task UnderTheReadmeRole_TheDailyJobRemovesExpiredDataAndAuditEntriesOfEveryMunicipality_AndTheChainsStayIntact() =>
        WithReadmeRoleAsync(withoutLine: null, DailyJobAsync);

    [DatabaseFact]
    public Task ARoleNotGrantedThePruningFunction_StillGetsEveryMunicipalitysExpiredCoursesRemoved_AndTheRunReportsTheRefusal() =>
        WithReadmeRoleAsync(withoutLine: "GRANT EXECUTE ON FUNCTION", async (owner, service) =>
        {
            var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
            using var host = CreateHost(clock, service, schedule: "0 0 3 1 1 ? 2099"); // the run below is the only one
            var (defaultCourse, aarhusCourse) = await ClosedCoursesAsync(host);
            clock.Advance(TimeSpan.FromDays(31));

            // The Host's own sweep and services, with a logger that keeps what it is told.
            await using var scope = host.Services.CreateAsyncScope();
            var log = new KeptLog();
            var sweep = ActivatorUtilities.CreateInstance<RetentionSweep>(scope.ServiceProvider, log);
            var incomplete = await Assert.ThrowsAsync<RetentionIncompleteException>(() => sweep.RunEveryMunicipalityAsync(CancellationToken.None));

            Assert.Contains(TenantIds.Default, incomplete.FailedTenants);
            Assert.Contains(Aarhus, incomplete.FailedTenants);
            foreach (var municipality in new[] { TenantIds.Default, Aarhus })
            {
                var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Retention in {municipality} ", StringComparison.Ordinal));
                Assert.Contains("42501", warning.Message, StringComparison.Ordinal);
                Assert.Contains($"EXECUTE on the function (README, \"Audit chain\")", warning.Message, StringComparison.Ordinal);
            }

            Assert.Equal(0, await ScalarAsync(owner, $"SELECT COUNT(*) FROM \"CtiCourses\" WHERE \"Id\" IN ('{defaultCourse}', '{aarhusCourse}')"));
            Assert.Equal(0, await ScalarAsync(owner, "SELECT COUNT(*) FROM \"ExitAuditAnchors\""));
        });

    /// <summary>
    /// A fresh database migrated by its owner, then a login role made with README's SQL (under a name of this test's own;
    /// <paramref name="withoutLine"/> leaves out the line that starts so), then <paramref name="body"/> with the owner's and
    /// the role's connection strings.
    /// </summary>
    private static async Task WithReadmeRoleAsync(string? withoutLine, Func<string, string, Task> body)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var owner = database.Options.ConnectionString;
        var role = "exit_service_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using (var migrating = new ExitHostFactory(postgresConnectionString: owner)) _ = migrating.Services;
            var password = Guid.NewGuid().ToString("N");
            var sql = ReadmeRoleSql().Where(line => withoutLine is null || !line.StartsWith(withoutLine, StringComparison.Ordinal));
            await ExecuteAsync(owner, string.Join('\n', sql).Replace("exit_service", role, StringComparison.Ordinal).Replace("'…'", $"'{password}'", StringComparison.Ordinal));
            await body(owner, new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = password }.ConnectionString);
        }
        finally
        {
            await database.DisposeAsync();
            await ExecuteAsync(new NpgsqlConnectionStringBuilder(owner) { Database = "postgres" }.ConnectionString, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static ExitHostFactory CreateHost(ManualTimeProvider clock, string connectionString, string? schedule = null) =>
        new(clock, connectionString, b =>
        {
            b.UseSetting("Exit:Retention:ClosedCoursesDays", Days.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Exit:Retention:AuditEntriesDays", Days.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Exit:Retention:FinishedCourseInstancesDays", "0")
                .UseSetting("Exit:Retention:EnquiriesDays", "0");
            if (schedule is not null) b.UseSetting("Exit:Retention:Schedule", schedule);
        });

    /// <summary>Municipality aarhus, and one course in it and one in default, both closed now.</summary>
    private static async Task<(string Default, string Aarhus)> ClosedCoursesAsync(ExitHostFactory host)
    {
        var national = host.CreateClientAs(ExitRoles.National);
        Assert.True((await national.PostAsJsonAsync("/api/municipalities", new { id = Aarhus, name = "Aarhus" })).IsSuccessStatusCode);
        return (await ClosedCourseAsync(host.CreateClient(), worker: null),
            await ClosedCourseAsync(host.CreateClientAs(ExitRoles.Manager, Aarhus), TestApiKeys.UserNameFor(ExitRoles.Worker, Aarhus)));
    }

    private static async Task DailyJobAsync(string owner, string service)
    {
        // The job runs at 03:00 Copenhagen time: 01:00 UTC from 29 March. Everything below is well in the past, so the
        // function's own check (the cutoff must lie before the database's clock) passes.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        using var host = CreateHost(clock, service);
        var (defaultCourse, aarhusCourse) = await ClosedCoursesAsync(host);
        var before = await LanesAsync(owner);
        Assert.Contains(before, l => l.Tenant == TenantIds.Default);
        Assert.Contains(before, l => l.Tenant == Aarhus);

        // 2 April, 01:01 UTC: the day's run, 31 days after the courses closed and the entries about them were written.
        clock.Advance(TimeSpan.FromDays(31) + TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await ScalarAsync(owner, $"SELECT COUNT(DISTINCT \"TenantId\") FROM \"ExitAuditAnchors\" WHERE \"TenantId\" IN ('{TenantIds.Default}', '{Aarhus}')") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention job did not prune both municipalities' audit logs within 90 s");
            await Task.Delay(200);
        }

        Assert.Equal(0, await ScalarAsync(owner, $"SELECT COUNT(*) FROM \"CtiCourses\" WHERE \"Id\" IN ('{defaultCourse}', '{aarhusCourse}')"));

        // Every lane that held entries before the run now starts at an anchor naming its last removed entry; what is left
        // is the run's own record of the removal (one Delete per municipality, written after the cutoff).
        var anchors = await AnchorsAsync(owner);
        foreach (var lane in before.Where(l => l.Tenant is TenantIds.Default or Aarhus))
        {
            var anchor = Assert.Single(anchors, a => a.Tenant == lane.Tenant && a.Lane == lane.Lane);
            Assert.Equal((lane.LastId, lane.Count), (anchor.LastRemovedId, anchor.Removed));
        }

        foreach (var (municipality, course) in new[] { (TenantIds.Default, defaultCourse), (Aarhus, aarhusCourse) })
        {
            var chain = await host.CreateClientAs(ExitRoles.Admin, municipality).GetFromJsonAsync<JsonObject>("/api/audit/chain");
            Assert.True((bool)chain!["intact"]!, chain.ToJsonString());
            Assert.Equal(1, (long)chain["checked"]!);
            var left = await host.CreateClientAs(ExitRoles.Admin, municipality).GetFromJsonAsync<JsonObject>("/api/audit?action=Delete");
            Assert.Equal(course, (string?)Assert.Single(left!["items"]!.AsArray())!["resourceId"]);
        }

        // The role itself still may not remove or change audit entries or anchors, nor prune up to now.
        foreach (var sql in new[] { "DELETE FROM \"ExitAuditEntries\"", "DELETE FROM \"ExitAuditAnchors\"", "UPDATE \"ExitAuditAnchors\" SET \"Removed\" = 0" })
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(service, sql))).SqlState);
        var future = DateTimeOffset.UtcNow.AddMinutes(1).UtcTicks;
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(service, $"SELECT {AuditPruning.PostgresFunction}('{TenantIds.Default}', {future})"));
        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, refused.SqlState);
    }

    /// <summary>The lines of the role SQL in README.md's "Audit chain" paragraph, as written (comments left out).</summary>
    private static IEnumerable<string> ReadmeRoleSql()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Exit.sln"))) root = root.Parent;
        var readme = File.ReadAllText(Path.Combine(root?.FullName ?? throw new InvalidOperationException("Exit.sln not found"), "README.md"));
        var block = SqlBlocks().Matches(readme).Select(m => m.Groups[1].Value).Single(b => b.Contains("CREATE ROLE exit_service", StringComparison.Ordinal));
        return block.Split('\n').Select(line => line.Split("--")[0].Trim()).Where(line => line.Length > 0);
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlocks();

    private static async Task<string> ClosedCourseAsync(HttpClient client, string? worker)
    {
        var citizen = await CitizenScenario.CreateCitizenAsync(client, "Gammel");
        var (course, _) = await CitizenScenario.StartCourseAsync(client, citizen, worker);
        await CitizenScenario.CloseCourseAsync(client, course);
        return course;
    }

    private sealed record LaneBefore(string Tenant, short Lane, long Count, long LastId);

    private sealed record Anchor(string Tenant, short Lane, long LastRemovedId, long Removed);

    private static async Task<List<LaneBefore>> LanesAsync(string connectionString)
    {
        var lanes = new List<LaneBefore>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"TenantId\", \"Lane\", COUNT(*), MAX(\"Id\") FROM \"ExitAuditEntries\" GROUP BY 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lanes.Add(new LaneBefore(reader.GetString(0), reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3)));
        return lanes;
    }

    private static async Task<List<Anchor>> AnchorsAsync(string connectionString)
    {
        var anchors = new List<Anchor>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"TenantId\", \"Lane\", \"LastRemovedId\", \"Removed\" FROM \"ExitAuditAnchors\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) anchors.Add(new Anchor(reader.GetString(0), reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3)));
        return anchors;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class KeptLog : ILogger<RetentionSweep>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
