using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Exit.Host.Features.National;
using Exit.Host.Infrastructure.Audit;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Testing;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Tests.National;

/// <summary>
/// Issue 12, the national report: two municipalities (<c>default</c> and <c>aarhus</c>), each seeded inside its own
/// <see cref="TenantScope"/> through the real CTI store, read through the real Host by the national role as JSON and as
/// the Danish page. Expected figures are counted here from the seeded registrations. Runs on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// The stores separate municipalities once the tenant filters of the activity stores are in (issue 12, item 1). Until
/// then every scope sees every row, and each municipality's column shows all citizens. The test asks the real store
/// what a scope sees (<see cref="ScopesSeparateAsync"/>) and expects exactly that, so it holds before and after; the
/// small-number checks hold in both.
/// </remarks>
public abstract partial class NationalReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private const int DefaultCitizens = 23;
    private const int AarhusCitizens = 3;
    private static readonly string[] StatusRows = ["outcome.completed", "outcome.droppedOut", "outcome.endedAtClarification", "outcome.ongoing"];
    private static readonly string[] NotAboutCitizens = ["fidelity.caseloadWithinLimit", "fidelity.workersSharing", "fidelity.supervisionWorkers", "fidelity.supervisionSupportPersons"];

    private ExitHostFactory _host = null!;
    private SyntheticCohort.Records _default = null!;
    private SyntheticCohort.Records _aarhus = null!;

    protected abstract Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider clock, Action<IWebHostBuilder> configure);

    protected abstract ValueTask DisposeDatabaseAsync();

    public async Task InitializeAsync()
    {
        _host = await CreateHostAsync(new ManualTimeProvider(Now), builder => builder.ConfigureTestServices(services =>
            services.Replace(ServiceDescriptor.Singleton<ITenantDirectory>(new TwoMunicipalities()))));
        _default = SyntheticCohort.Generate(DefaultCitizens, Now, seed: 3);
        // A day apart, so the two cohorts' staffing rows never share (worker, valid from) while the table is not yet per municipality.
        _aarhus = SyntheticCohort.Generate(AarhusCitizens, Now.AddDays(-1), seed: 5);
        await SeedAsync(TenantIds.Default, _default);
        await SeedAsync("aarhus", _aarhus);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await DisposeDatabaseAsync();
    }

    [DatabaseFact]
    public async Task NationalRole_GetsPerMunicipalityAndTotalFigures_WithEverySmallCellSuppressed()
    {
        var separated = await ScopesSeparateAsync();
        var expected = new Dictionary<string, Dictionary<string, int>>
        {
            [TenantIds.Default] = Counts(separated ? [_default] : [_default, _aarhus]),
            ["aarhus"] = Counts(separated ? [_aarhus] : [_default, _aarhus]),
        };
        expected[NationalCell.TotalColumn] = expected[TenantIds.Default].Keys
            .ToDictionary(k => k, k => expected[TenantIds.Default][k] + expected["aarhus"][k]);

        var response = await _host.CreateClientAs(ExitRoles.National).GetAsync("/api/national/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        // By name in Danish order, where "Aa" is "Å" and comes last: København, Aarhus.
        Assert.Equal([TenantIds.Default, "aarhus"], report["municipalities"]!.AsArray().Select(m => (string)m!["id"]!));
        var rows = Rows(report);
        foreach (var (column, counts) in expected)
        foreach (var (row, count) in counts)
        {
            var cell = rows[row][column];
            if (count is > 0 and < 5)
            {
                Assert.Equal("<5", (string)cell["display"]!);
                Assert.Null(cell["value"]);
                Assert.Null(cell["n"]); // the n of a small group is the small number itself
            }
            else if ((string)cell["suppression"]! == "None")
            {
                Assert.Equal(count, (double)cell["value"]!);
            }
            else
            {
                Assert.Equal("Secondary", (string)cell["suppression"]!);
                Assert.Equal("skjult", (string)cell["display"]!);
                Assert.Null(cell["value"]);
            }
        }

        if (separated)
        {
            // København 23, Aarhus 3: Aarhus is "<5", and the total goes too (26 − 23 would give it); København's own figure stays.
            Assert.Equal(DefaultCitizens, (double)rows["outcome.citizens"][TenantIds.Default]["value"]!);
            Assert.Equal("<5", (string)rows["outcome.citizens"]["aarhus"]["display"]!);
            Assert.Equal("skjult", (string)rows["outcome.citizens"][NationalCell.TotalColumn]["display"]!);
        }

        Assert.Contains(rows.Values.SelectMany(r => r.Values), c => (string)c["suppression"]! == "Primary"); // the test does exercise suppression
        AssertNoSmallCellShown(rows);
        AssertNoSuppressedCellCanBeDerived(rows, ["aarhus", TenantIds.Default]);
    }

    [DatabaseFact]
    public async Task TheTotal_IsTheSumOfTheMunicipalities_ForEveryShownShare()
    {
        var rows = Rows((await _host.CreateClientAs(ExitRoles.National).GetFromJsonAsync<JsonObject>("/api/national/report"))!);

        // Where every cell of a share is shown, the total's numerator and n are the municipalities' added up.
        foreach (var (key, cells) in rows.Where(r => r.Key.Contains("Risk", StringComparison.Ordinal) || r.Key.Contains("paidForSex", StringComparison.Ordinal)))
        {
            if (cells.Values.Any(c => (string)c["suppression"]! != "None") || cells.Values.Any(c => c["value"] is null)) continue;
            var parts = new[] { cells[TenantIds.Default], cells["aarhus"] };
            var total = cells[NationalCell.TotalColumn];
            Assert.Equal(parts.Sum(p => (int)p["n"]!), (int)total["n"]!);
            Assert.Equal(parts.Sum(p => Math.Round((double)p["value"]! * (int)p["n"]!)), Math.Round((double)total["value"]! * (int)total["n"]!));
        }
    }

    [DatabaseFact]
    public async Task ThePage_ShowsTheSameCells_SmallOnesAsLessThanFive()
    {
        var json = Rows((await _host.CreateClientAs(ExitRoles.National).GetFromJsonAsync<JsonObject>("/api/national/report"))!);

        var response = await _host.CreateClientAs(ExitRoles.National).GetAsync("/national/rapport");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Nationale tal</h1>", html, StringComparison.Ordinal);
        var page = PageCells(html);
        Assert.Equal(json.Count, page.Count);
        foreach (var (row, cells) in json)
        foreach (var (column, cell) in cells)
        {
            var shown = page[row][column];
            Assert.StartsWith((string)cell["display"]!, shown, StringComparison.Ordinal);
            if ((string)cell["suppression"]! == "Primary") Assert.Equal("<5", shown);
        }

        Assert.Contains(page.Values.SelectMany(r => r.Values), v => v == "<5");
    }

    [DatabaseFact]
    public async Task EveryRead_IsAudited()
    {
        await _host.CreateClientAs(ExitRoles.National).GetAsync("/api/national/report");
        await _host.CreateClientAs(ExitRoles.National).GetAsync("/national/rapport");

        // The national role belongs to no municipality: its entries are in the national scope's log.
        using var national = TenantScope.Enter(TenantIds.Templates);
        using var scope = _host.Services.CreateScope();
        var entries = await scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>().AuditEntries
            .Where(e => e.ResourceType == NationalEndpoints.ResourceType).ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditAction.Read, e.Action);
            Assert.Equal(TestApiKeys.UserNameFor(ExitRoles.National), e.UserName);
            Assert.Null(e.CitizenId);
        });
    }

    [DatabaseFact]
    public async Task OtherRoles_AreRefused_AndABadFilterIsNamed()
    {
        foreach (var role in new[] { ExitRoles.Worker, ExitRoles.Manager, ExitRoles.Admin, ExitRoles.Coordinator, ExitRoles.Supervisor })
        {
            var client = _host.CreateClientAs(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/national/report")).StatusCode);
            var page = await client.GetAsync("/national/rapport");
            Assert.True(page.StatusCode == HttpStatusCode.Forbidden
                        || page.Headers.Location?.OriginalString.Contains(ExitAuthentication.AccessDeniedPath, StringComparison.Ordinal) == true,
                $"{role}: {(int)page.StatusCode} {page.Headers.Location}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClientAs(null).GetAsync("/api/national/report")).StatusCode);

        var bad = await _host.CreateClientAs(ExitRoles.National).GetAsync("/api/national/report?quarter=2&goal=Nothing");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = (await bad.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]!["quarter"]);
        Assert.NotNull(problem["errors"]!["goal"]);
    }

    [DatabaseFact]
    public async Task NationalRole_ReadsNoCitizenData_NorAMunicipalitysOwnReports()
    {
        var national = _host.CreateClientAs(ExitRoles.National);
        var course = _default.Courses[0].Id;
        foreach (var path in new[] { "/api/cti/outcome-report", "/api/cti/fidelity-report", "/api/cti/report-export", $"/api/courses/{course}/timeline", "/api/tasks", "/api/intake" })
            Assert.Equal(HttpStatusCode.Forbidden, (await national.GetAsync(path)).StatusCode);
        foreach (var path in new[] { "/manager/report", "/worker/citizens", $"/worker/courses/{course}" })
        {
            var page = await national.GetAsync(path);
            Assert.True(page.StatusCode == HttpStatusCode.Forbidden
                        || page.Headers.Location?.OriginalString.Contains(ExitAuthentication.AccessDeniedPath, StringComparison.Ordinal) == true,
                $"{path}: {(int)page.StatusCode} {page.Headers.Location}");
        }
    }

    [DatabaseFact]
    public async Task APeriodFilter_CountsOnlyCoursesStartedThen()
    {
        var separated = await ScopesSeparateAsync();
        var year = Now.Year - 1;
        var inYear = (separated ? _default : Union()).Courses
            .Count(c => CopenhagenCalendar.ToLocal(Course.Restore(CourseJson.Deserialize(c.StateJson)).StartDate).Year == year);

        var report = (await _host.CreateClientAs(ExitRoles.National).GetFromJsonAsync<JsonObject>($"/api/national/report?year={year}"))!;

        Assert.Equal(year, (int)report["filter"]!["year"]!);
        var cell = Rows(report)["outcome.citizens"][TenantIds.Default];
        if (inYear is > 0 and < 5) Assert.Equal("<5", (string)cell["display"]!);
        else if ((string)cell["suppression"]! == "None") Assert.Equal(inYear, (double)cell["value"]!);
        Assert.True(inYear < (separated ? DefaultCitizens : DefaultCitizens + AarhusCitizens), "the year filter leaves some courses out");
    }

    private SyntheticCohort.Records Union() =>
        new([.. _default.Citizens, .. _aarhus.Citizens], [.. _default.Courses, .. _aarhus.Courses], [], [], [], []);

    /// <summary>Whether a municipality's scope sees only its own citizens in the real CTI store.</summary>
    private async Task<bool> ScopesSeparateAsync()
    {
        var cti = _host.Services.GetRequiredService<CtiDbContextFactory>();
        using (TenantScope.Enter("aarhus"))
        {
            await using var db = cti.Create();
            var seen = await db.Citizens.CountAsync();
            Assert.True(seen is AarhusCitizens or DefaultCitizens + AarhusCitizens, $"aarhus sees {seen} citizens");
            return seen == AarhusCitizens;
        }
    }

    private async Task SeedAsync(string tenant, SyntheticCohort.Records records)
    {
        using (TenantScope.Enter(tenant))
        {
            await SyntheticCohort.SeedAsync(records, _host.Services.GetRequiredService<CtiDbContextFactory>(),
                _host.Services.GetRequiredService<TaskDbContextFactory>(), CancellationToken.None);
        }
    }

    /// <summary>Citizens and their status, counted from the registrations (one course per synthetic citizen).</summary>
    private static Dictionary<string, int> Counts(IEnumerable<SyntheticCohort.Records> cohorts)
    {
        var outcomes = cohorts.SelectMany(r => r.Courses).Select(c => Course.Restore(CourseJson.Deserialize(c.StateJson)).Outcome).ToList();
        return new Dictionary<string, int>
        {
            ["outcome.citizens"] = outcomes.Count,
            ["outcome.completed"] = outcomes.Count(o => o == CourseOutcome.Completed),
            ["outcome.droppedOut"] = outcomes.Count(o => o == CourseOutcome.DroppedOut),
            ["outcome.endedAtClarification"] = outcomes.Count(o => o == CourseOutcome.EndedAtClarification),
            ["outcome.ongoing"] = outcomes.Count(o => o == CourseOutcome.Running),
        };
    }

    /// <summary>row key → column (municipality id or "total") → cell.</summary>
    private static Dictionary<string, Dictionary<string, JsonObject>> Rows(JsonObject report) =>
        report["rows"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(
            r => (string)r["key"]!,
            r => r["cells"]!.AsArray().Select(c => c!.AsObject()).Append(r["total"]!.AsObject())
                .ToDictionary(c => (string)c["municipality"]!, c => c));

    /// <summary>No cell about citizens shows a figure computed from 1–4 of them.</summary>
    private static void AssertNoSmallCellShown(Dictionary<string, Dictionary<string, JsonObject>> rows)
    {
        foreach (var (key, cells) in rows.Where(r => !NotAboutCitizens.Contains(r.Key)))
        foreach (var (column, cell) in cells)
        {
            if ((string)cell["suppression"]! == "None") Assert.False((int)cell["n"]! is > 0 and < 5, $"{key}/{column} shows n={cell["n"]}");
            else Assert.True(cell["value"] is null && cell["n"] is null, $"{key}/{column} is hidden but carries a figure");
        }
    }

    /// <summary>
    /// Every sum in the table (the municipalities add up to the total in each row; the four statuses add up to the citizens
    /// in each column) has no hidden cell or at least two, so subtracting the shown cells never gives a hidden one.
    /// </summary>
    private static void AssertNoSuppressedCellCanBeDerived(Dictionary<string, Dictionary<string, JsonObject>> rows, string[] municipalities)
    {
        static bool Hidden(JsonObject cell) => (string)cell["suppression"]! != "None";
        foreach (var (key, cells) in rows)
            Assert.True(cells.Values.Count(Hidden) != 1, $"{key}: one hidden cell, derivable from the total");
        foreach (var column in municipalities.Append(NationalCell.TotalColumn))
        {
            var sum = StatusRows.Append("outcome.citizens").Select(r => rows[r][column]);
            Assert.True(sum.Count(Hidden) != 1, $"{column}: one hidden status, derivable from the citizens");
        }
    }

    /// <summary>row key → municipality → the cell's text as the page shows it.</summary>
    private static Dictionary<string, Dictionary<string, string>> PageCells(string html) =>
        RowPattern().Matches(html).ToDictionary(
            m => m.Groups["row"].Value,
            m => CellPattern().Matches(m.Groups["cells"].Value).ToDictionary(
                c => c.Groups["municipality"].Value,
                c => WebUtility.HtmlDecode(Regex.Replace(c.Groups["text"].Value, "<[^>]+>", "")).Trim()));

    [GeneratedRegex("<tr data-row=\"(?<row>[^\"]+)\">(?<cells>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td [^>]*data-municipality=\"(?<municipality>[^\"]+)\"[^>]*>(?<text>.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    private sealed class TwoMunicipalities : ITenantDirectory
    {
        public Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<TenantInfo>>([new TenantInfo(TenantIds.Default, "København"), new TenantInfo("aarhus", "Aarhus")]);
    }
}

public sealed class SqliteNationalReportTests : NationalReportTests
{
    protected override Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider clock, Action<IWebHostBuilder> configure) =>
        Task.FromResult(new ExitHostFactory(clock, configure: configure));

    protected override ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;
}

[RequiresPostgres]
public sealed class PostgresNationalReportTests : NationalReportTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<ExitHostFactory> CreateHostAsync(ManualTimeProvider clock, Action<IWebHostBuilder> configure)
    {
        if (PostgresTestDatabase.SkipReason is not null) return new ExitHostFactory(clock, configure: configure); // skipped by [DatabaseFact]
        _database = await PostgresTestDatabase.CreateAsync();
        return new ExitHostFactory(clock, _database.Options.ConnectionString, configure);
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
