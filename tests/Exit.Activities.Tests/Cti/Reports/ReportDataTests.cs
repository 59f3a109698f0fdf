using System.Data.Common;
using System.Text.Json;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Exit.Testing;
using Exit.Workflows.Testing;
using Exit.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Exit.Activities.Tests.Cti.Reports;

/// <summary>
/// The reports as <see cref="CtiReports"/> loads them from a real database (SQLite and PostgreSQL) equal the reports
/// computed here from the raw rows the straightforward way: every course restored whole, every evaluation through the
/// general reader, the latest revision of each contact picked in memory. Corrected contacts are in the data (a kind
/// changed, an attempt, a moved time), and a course saved after a load is seen at its new version.
/// </summary>
public abstract class ReportDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly ReportOptions Options = new() { SuppressBelow = 1 };

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task ReportsFromTheDatabase_EqualThoseComputedFromTheRows_WithCorrectionsAndLaterSaves()
    {
        await using var database = await CreateDatabaseAsync();
        var cti = new CtiDbContextFactory(new CtiStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        await using (var db = cti.Create()) await db.Database.MigrateAsync();
        await using (var db = tasks.Create()) await db.Database.MigrateAsync();

        var records = SyntheticCohort.Generate(40, Now, seed: 5);
        var corrections = Corrections(records.Contacts);
        records.Contacts.AddRange(corrections);
        await SyntheticCohort.SeedAsync(records, cti, tasks, CancellationToken.None);

        var clock = new ManualTimeProvider(Now);
        var supervision = new CompletedSupervisionTasks(tasks);
        var reports = new CtiReports(new ReportData(cti, tasks, new ReportCourseCache()), supervision, Options, clock);
        ReportFilter[] filters = [new(), new(Team: SyntheticCohort.Teams[0]), new(Year: 2025, Goal: CourseGoal.Exit), new(CompletedOnly: true)];

        foreach (var filter in filters) await AssertSameAsync(reports, cti, tasks, supervision, filter);

        // The corrections matter: counting every revision would give another fidelity report.
        var everyRevision = FidelityCalculator.Compute(
            await ExpectedCoursesAsync(cti, tasks, latestOnly: false), await StaffingAsync(cti), await supervision.PerMonthAsync(FidelityCalculator.MonthsOf(new(), Now), null, default),
            new ReportFilter(), Options, Now);
        Assert.NotEqual(Json(everyRevision), Json(await reports.FidelityAsync(new ReportFilter(), default)));

        // A course saved after the first load (its row's version goes up) is read again: here ten courses change goal.
        await using (var db = cti.Create())
        {
            foreach (var row in await db.Courses.AsTracking().OrderBy(c => c.Id).Take(10).ToListAsync())
            {
                var state = CourseJson.Deserialize(row.StateJson);
                row.StateJson = CourseJson.Serialize(state with { Goal = state.Goal == CourseGoal.Exit ? CourseGoal.ImproveLifeSituation : CourseGoal.Exit });
                row.Version++;
            }

            await db.SaveChangesAsync();
        }

        foreach (var filter in filters) await AssertSameAsync(reports, cti, tasks, supervision, filter);
    }

    /// <summary>
    /// The cached courses follow what is committed after a load, through the commit participant as the runtime commits it:
    /// a logged contact, a recorded evaluation and a course ended early each reach the next report; and after a restart
    /// (an empty cache) the reports are the same again.
    /// </summary>
    [DatabaseFact]
    public async Task CachedCourses_FollowCommittedContactsEvaluationsAndEndings_AndARestart()
    {
        await using var database = await CreateDatabaseAsync();
        var cti = new CtiDbContextFactory(new CtiStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        await using (var db = cti.Create()) await db.Database.MigrateAsync();
        await using (var db = tasks.Create()) await db.Database.MigrateAsync();
        await SyntheticCohort.SeedAsync(SyntheticCohort.Generate(40, Now, seed: 9), cti, tasks, CancellationToken.None);

        var clock = new ManualTimeProvider(Now);
        var supervision = new CompletedSupervisionTasks(tasks);
        var data = new ReportData(cti, tasks, new ReportCourseCache());
        var reports = new CtiReports(data, supervision, Options, clock);
        ReportFilter[] filters = [new(), new(Team: SyntheticCohort.Teams[0])];
        foreach (var filter in filters) await AssertSameAsync(reports, cti, tasks, supervision, filter);
        var outcomeBefore = Json(await reports.OutcomeAsync(new ReportFilter(), default));
        var fidelityBefore = Json(await reports.FidelityAsync(new ReportFilter(), default));

        // Three running courses in phase 1 or later: one gets a contact, one an evaluation, one is ended early.
        List<CourseRecord> running;
        await using (var db = cti.Create())
        {
            running = (await db.Courses.AsNoTracking().ToListAsync())
                .Where(r => r.Status is nameof(CourseStatus.Phase1) or nameof(CourseStatus.Phase2) or nameof(CourseStatus.Phase3))
                .OrderBy(r => r.Id, StringComparer.Ordinal).Take(3).ToList();
        }

        Assert.Equal(3, running.Count);
        var (contacted, evaluated, ended) = (running[0], running[1], running[2]);
        int Count(IReadOnlyList<ReportCourse> courses, CourseRecord row, Func<ReportCourse, int> what) =>
            what(courses.Single(c => c.Course.Id.ToString() == row.Id));
        var loaded = await data.CoursesAsync(ReportParts.All, default);
        var (contactsBefore, evaluationsBefore) = (Count(loaded, contacted, c => c.Contacts.Count), Count(loaded, evaluated, c => c.Evaluations.Count));

        var participant = new CtiCommitParticipant(cti, tasks, new DanishWorkingDays());
        var contact = new Contact(Guid.NewGuid(), 1, new CourseId(Guid.Parse(contacted.Id)), ContactKind.InPerson, Now.AddHours(-3), 45, ContactPlace.Home,
            ["w"], [], [], null, "w", Now);
        await CommitAsync(database, participant, new ContactRecorded(contact));
        var evaluation = new Evaluation(new CourseId(Guid.Parse(evaluated.Id)), EvaluationKind.PhaseChange, Now.AddHours(-2), Who5.FromItems(1, 1, 1, 1, 1), null, null);
        await CommitAsync(database, participant, new EvaluationRecorded(Guid.NewGuid().ToString(), evaluation, "w"));
        var course = Course.Restore(CourseJson.Deserialize(ended.StateJson));
        course.End(EndingReason.LostContact, Now.AddHours(-1), Now, "w");
        await CommitAsync(database, participant, new CourseSaved(course.ToState(), ended.InstanceId, Now));

        loaded = await data.CoursesAsync(ReportParts.All, default);
        Assert.Equal(contactsBefore + 1, Count(loaded, contacted, c => c.Contacts.Count));
        Assert.Equal(evaluationsBefore + 1, Count(loaded, evaluated, c => c.Evaluations.Count));
        Assert.Equal(CourseOutcome.DroppedOut, loaded.Single(c => c.Course.Id.ToString() == ended.Id).Course.Outcome);
        foreach (var filter in filters) await AssertSameAsync(reports, cti, tasks, supervision, filter);
        Assert.NotEqual(outcomeBefore, Json(await reports.OutcomeAsync(new ReportFilter(), default)));
        Assert.NotEqual(fidelityBefore, Json(await reports.FidelityAsync(new ReportFilter(), default)));

        // A restart: a new cache reads everything again and gives the same reports.
        var restarted = new CtiReports(new ReportData(cti, tasks, new ReportCourseCache()), supervision, Options, clock);
        foreach (var filter in filters)
        {
            Assert.Equal(Json(await reports.OutcomeAsync(filter, default)), Json(await restarted.OutcomeAsync(filter, default)));
            Assert.Equal(Json(await reports.FidelityAsync(filter, default)), Json(await restarted.FidelityAsync(filter, default)));
            await AssertSameAsync(restarted, cti, tasks, supervision, filter);
        }
    }

    /// <summary>Applies effects as the runtime's commit does: its own connection and transaction.</summary>
    private static async Task CommitAsync(ITestDatabase database, ICommitParticipant participant, params object[] effects)
    {
        await using DbConnection connection = database.Options.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(database.Options.ConnectionString)
            : new NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await participant.ApplyAsync(new CommitContext(connection, transaction, database.Options.Provider), effects, default);
        await transaction.CommitAsync();
    }

    private static async Task AssertSameAsync(CtiReports reports, CtiDbContextFactory cti, TaskDbContextFactory tasks, ISupervisionHeld supervision, ReportFilter filter)
    {
        var courses = await ExpectedCoursesAsync(cti, tasks, latestOnly: true);
        Assert.Equal(Json(OutcomeCalculator.Compute(courses, filter, Options)), Json(await reports.OutcomeAsync(filter, default)));
        var scope = string.IsNullOrEmpty(filter.Team) ? null
            : courses.Where(c => c.Team == filter.Team).Select(c => c.Course.Id.Value.ToString()).ToHashSet(StringComparer.Ordinal);
        var held = await supervision.PerMonthAsync(FidelityCalculator.MonthsOf(filter, Now), scope, default);
        Assert.Equal(
            Json(FidelityCalculator.Compute(courses, await StaffingAsync(cti), held, filter, Options, Now)),
            Json(await reports.FidelityAsync(filter, default)));
    }

    /// <summary>Every course with everything, read row by row as plainly as possible.</summary>
    private static async Task<List<ReportCourse>> ExpectedCoursesAsync(CtiDbContextFactory cti, TaskDbContextFactory tasks, bool latestOnly)
    {
        await using var db = cti.Create();
        var citizens = await db.Citizens.AsNoTracking().ToDictionaryAsync(c => c.Id);
        var evaluations = (await db.Evaluations.AsNoTracking().ToListAsync()).ToLookup(e => e.CourseId);
        var contacts = (await db.Contacts.AsNoTracking().ToListAsync())
            .GroupBy(c => c.ContactId)
            .SelectMany(g => latestOnly ? [g.MaxBy(c => c.Revision)!] : g.ToList())
            .ToLookup(c => c.CourseId);
        var staffing = await StaffingAsync(cti);
        await using var taskDb = tasks.Create();
        var agreements = (await taskDb.Tasks.AsNoTracking().Where(t => t.Kind == CtiTaskKinds.NetworkAgreement && t.Status == HumanTaskStatus.Completed).ToListAsync())
            .GroupBy(t => t.CorrelationId!).ToDictionary(g => g.Key, g => g.Min(t => t.CompletedAt!.Value));
        var result = new List<ReportCourse>();
        foreach (var row in (await db.Courses.AsNoTracking().ToListAsync()).OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var course = Course.Restore(CourseJson.Deserialize(row.StateJson));
            var c = citizens[row.CitizenId];
            result.Add(new ReportCourse(
                course,
                new TargetGroupDescriptors(P<AgeBand>(c.AgeBand), P<Gender>(c.Gender), P<ProstitutionForm>(c.ProstitutionForm), P<MainIncome>(c.MainIncome),
                    P<YesNo>(c.Debt), P<YesNo>(c.MentalHealth), P<YesNo>(c.SubstanceUse), P<YesNo>(c.InterpreterNeeded)),
                staffing.Where(s => s.Worker == course.ResponsibleWorkerId.Value).MaxBy(s => s.From)?.Team,
                evaluations[row.Id].Select(CtiQueries.ToEvaluation).ToList(),
                contacts[row.Id].Select(x => new ReportContact(Enum.Parse<ContactKind>(x.Kind), x.StartedAt)).ToList(),
                agreements.TryGetValue(row.Id, out var agreed) ? agreed : null));
        }

        return result;
    }

    private static async Task<IReadOnlyList<StaffingPeriod>> StaffingAsync(CtiDbContextFactory cti)
    {
        await using var db = cti.Create();
        return (await db.Staffing.AsNoTracking().ToListAsync())
            .Select(s => new StaffingPeriod(s.WorkerId, s.Team, s.FtePercent / 100m, s.ValidFrom))
            .OrderBy(s => s.Worker, StringComparer.Ordinal).ThenBy(s => s.From).ToList();
    }

    /// <summary>
    /// Later revisions of every fifth contact: a citizen contact turned into coordination, a coordination into an attempt,
    /// and (two revisions on) a contact moved by three weeks.
    /// </summary>
    private static List<ContactRecord> Corrections(List<ContactRecord> contacts)
    {
        var result = new List<ContactRecord>();
        for (var i = 0; i < contacts.Count; i += 5)
        {
            var c = contacts[i];
            var kind = c.Kind == nameof(ContactKind.Coordination) ? nameof(ContactKind.Attempted) : nameof(ContactKind.Coordination);
            result.Add(Revision(c, 2, kind, c.StartedAt));
            if (i % 15 == 0) result.Add(Revision(c, 3, c.Kind, c.StartedAt.AddDays(21)));
        }

        return result;
    }

    private static ContactRecord Revision(ContactRecord c, int revision, string kind, DateTimeOffset at) => new()
    {
        ContactId = c.ContactId, Revision = revision, CourseId = c.CourseId, Kind = kind, StartedAt = at, DurationMinutes = c.DurationMinutes,
        Place = c.Place, WorkersJson = c.WorkersJson, NetworkMemberIdsJson = c.NetworkMemberIdsJson, FocusAreasJson = c.FocusAreasJson,
        WithCitizen = Contact.IsCitizenContact(Enum.Parse<ContactKind>(kind)), RecordedBy = c.RecordedBy, RecordedAt = c.RecordedAt.AddDays(1),
    };

    private static string Json<T>(T report) => JsonSerializer.Serialize(report);

    private static T? P<T>(string? value) where T : struct, Enum => Enum.TryParse<T>(value, out var v) ? v : null;
}

public sealed class SqliteReportDataTests : ReportDataTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresReportDataTests : ReportDataTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
