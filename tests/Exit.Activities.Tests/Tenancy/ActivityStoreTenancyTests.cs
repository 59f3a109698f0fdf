using System.Data.Common;
using System.Text.Json.Nodes;
using Exit.Activities.Cti.Activities;
using Exit.Activities.Cti.Application;
using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Privacy;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Exit.Activities.Privacy;
using Exit.Activities.SupportPersons.Application;
using Exit.Activities.SupportPersons.Domain;
using Exit.Activities.SupportPersons.Persistence;
using Exit.Activities.SupportPersons.Supervision;
using Exit.Activities.Tests.Cti.Reports;
using Exit.Activities.Tests.HumanTasks;
using Exit.Testing;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using Exit.Workflows.Tenancy;
using Exit.Workflows.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Exit.Activities.Tests.Tenancy;

/// <summary>
/// Municipality separation in the activity stores, on real SQLite files and PostgreSQL: what one municipality writes
/// (tasks through the commit participant, CTI rows, SKP rows) is not listed, found, counted, reported, changed or erased
/// from another, in both directions; the raw task SQL names the tenant. Every test uses <c>aarhus</c> next to
/// <c>default</c> (the test fallback), so a forgotten scope would put a row in the wrong one and fail here.
/// </summary>
public abstract class ActivityStoreTenancyTests
{
    private const string Aarhus = "aarhus";
    private const string Default = TenantIds.Default;
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<ITestDatabase> CreateDatabaseAsync();

    [DatabaseFact]
    public async Task Tasks_OfOneMunicipality_AreNotListedFoundOrChangedFromTheOther()
    {
        await using var s = await Stores.CreateAsync(await CreateDatabaseAsync());
        var participant = new TaskCommitParticipant(s.Clock);
        var yesterday = Now.AddDays(-1);
        await s.CommitAsync(Aarhus, participant, TaskDatabase.Created("a-task", yesterday, assignee: null, instanceId: "i-a"));
        await s.CommitAsync(Default, participant, TaskDatabase.Created("d-task", yesterday, assignee: null, instanceId: "i-d"));
        var queries = new TaskQueries(s.Tasks, s.Clock);
        var service = new HumanTaskService(s.Tasks, new NeverResumingRuntime(), new KeyBookmarkLocator(), s.Clock);

        foreach (var (tenant, own, other) in new[] { (Aarhus, "a-task", "d-task"), (Default, "d-task", "a-task") })
        {
            using var scope = TenantScope.Enter(tenant);
            Assert.Equal([own], (await queries.ListAsync(new TaskFilter(), default)).Items.Select(t => t.Id));
            Assert.Equal([own], (await queries.ListAsync(new TaskFilter(Overdue: true), default)).Items.Select(t => t.Id));
            Assert.Equal([own], (await queries.ListAsync(new TaskFilter(Role: "caseworker", Status: HumanTaskStatus.Open), default)).Items.Select(t => t.Id));
            Assert.Equal([own], (await service.QueueAsync(["caseworker"], default)).Select(t => t.Id));
            Assert.NotNull(await queries.GetAsync(own, default));
            Assert.Null(await queries.GetAsync(other, default));
            Assert.Null(await service.FindForCompletionAsync(other, default));
            await Assert.ThrowsAsync<TaskNotFoundException>(() => service.CompleteAsync(other, "Approve", null, "anna", default));
            await Assert.ThrowsAsync<TaskNotFoundException>(() => service.ReassignAsync(other, "anna", "anna", default));
            await Assert.ThrowsAsync<TaskNotFoundException>(() => service.ClaimAsync(other, "anna", default));
        }

        // The runtime's commit of another municipality's instance cannot complete or cancel this one's task.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            s.CommitAsync(Default, participant, new TaskCompleted("a-task", "Approve", null, "anna", Now)));
        await s.CommitAsync(Default, participant, new BookmarksDiscarded("i-a", [], ["a-task"]));

        // Nor can a hand-built entity: the interceptor refuses the write.
        TaskRecord aarhusRow;
        using (TenantScope.Enter(Aarhus))
        await using (var db = s.Tasks.Create())
            aarhusRow = await db.Tasks.SingleAsync();
        using (TenantScope.Enter(Default))
        await using (var db = s.Tasks.Create())
        {
            aarhusRow.Title = "taken over";
            db.Tasks.Update(aarhusRow);
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        // Assignment history is the municipality's too.
        using (TenantScope.Enter(Aarhus)) await service.ClaimAsync("a-task", "anna", default);
        using (TenantScope.Enter(Aarhus))
        {
            var task = await queries.GetAsync("a-task", default);
            Assert.Equal((HumanTaskStatus.Open, "anna", "Write meeting note"), (task!.Status, task.Assignee, task.Title));
            Assert.Single(task.Assignments);
        }

        using (TenantScope.Enter(Default))
        await using (var db = s.Tasks.Create())
            Assert.Empty(await db.Assignments.ToListAsync());

        // Stored as written: the raw INSERT named the tenant (the column's default would have said 'default').
        await using (var db = s.Tasks.Create())
        {
            Assert.Equal(Aarhus, await db.Tasks.IgnoreQueryFilters().Where(t => t.Id == "a-task").Select(t => t.TenantId).SingleAsync());
            Assert.Equal(Aarhus, await db.Assignments.IgnoreQueryFilters().Select(a => a.TenantId).SingleAsync());
        }
    }

    [DatabaseFact]
    public async Task CtiRows_OfOneMunicipality_AreNotFoundCountedReportedOrErasedFromTheOther()
    {
        await using var s = await Stores.CreateAsync(await CreateDatabaseAsync());
        var aarhus = await s.CourseAsync(Aarhus, "w-aarhus");
        var copenhagen = await s.CourseAsync(Default, "w-default");
        var queries = new CtiQueries(s.Cti, s.Tasks, s.Clock);
        var courseCache = new ReportCourseCache(); // one for the installation, as registered: it must not carry courses across
        var reports = new CtiReports(new ReportData(s.Cti, s.Tasks, courseCache), new CompletedSupervisionTasks(s.Tasks), new ReportOptions(), s.Clock);
        var resolver = new CtiCitizenScopeResolver(s.Cti);
        var intake = new IntakeRegister(s.Cti, s.Clock, NullLogger<IntakeRegister>.Instance);
        Guid aarhusEnquiry;
        using (TenantScope.Enter(Aarhus))
            aarhusEnquiry = (await intake.RegisterAsync(new DateOnly(2026, 11, 20), EnquiryChannel.Outreach, false, "Aarhus alias", "w-aarhus", default)).Id;

        foreach (var (tenant, own, other) in new[] { (Aarhus, aarhus, copenhagen), (Default, copenhagen, aarhus) })
        {
            using var scope = TenantScope.Enter(tenant);
            Assert.NotNull(await queries.TimelineAsync(own.Course, default));
            Assert.Null(await queries.TimelineAsync(other.Course, default));
            Assert.Single(await queries.ContactsAsync(own.Course, default));
            Assert.Empty(await queries.ContactsAsync(other.Course, default));
            Assert.Equal(1, (await queries.OutcomeCountsAsync(null, default)).Running);
            Assert.Equal([own.Course], (await new ReportData(s.Cti, s.Tasks, courseCache).CoursesAsync(ReportParts.Outcomes | ReportParts.Fidelity, default)).Select(c => c.Course.Id.Value));
            Assert.Equal([own.Worker], (await reports.ChoicesAsync(default)).Workers);
            Assert.NotNull(await resolver.ResolveAsync(own.Citizen.ToString(), default));
            Assert.Null(await resolver.ResolveAsync(other.Citizen.ToString(), default));
        }

        using (TenantScope.Enter(Default))
        {
            Assert.Empty(await intake.ListAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), default));
            Assert.Null(await intake.GetAsync(aarhusEnquiry, default));
            await Assert.ThrowsAsync<CtiNotFoundException>(() => intake.DecideAsync(aarhusEnquiry, EnquiryDecision.NoFurtherContact, null, default));

            // An erasure run in Copenhagen with Aarhus' ids removes nothing.
            var eraser = new CtiCitizenDataEraser(s.Cti);
            var scope = new CitizenDataScope(aarhus.Citizen.ToString(), [new CourseRef(aarhus.Course.ToString(), "i-" + Aarhus, false, null)], WholeCitizen: true);
            Assert.Equal(0, await eraser.EraseAsync(scope, default));
        }

        using (TenantScope.Enter(Aarhus))
        {
            Assert.Single(await intake.ListAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), default));
            Assert.NotNull(await queries.TimelineAsync(aarhus.Course, default));
            Assert.Single(await queries.ContactsAsync(aarhus.Course, default));
        }

        // The course projection of an Aarhus course cannot be overwritten from a Copenhagen commit.
        var intruder = CohortBuilder.Course(aarhus.Citizen, Now, CoursePeriod.Phase1, complete: false, worker: "intruder");
        var state = intruder.ToState() with { Id = new CourseId(aarhus.Course) };
        await Assert.ThrowsAsync<CrossTenantWriteException>(() =>
            s.CommitAsync(Default, s.CtiParticipant, new CourseSaved(state, "i-" + Aarhus, Now)));
        using (TenantScope.Enter(Aarhus))
            Assert.Equal([aarhus.Worker], (await reports.ChoicesAsync(default)).Workers);
    }

    [DatabaseFact]
    public async Task SupportPersons_AndSupervisionSeries_ArePerMunicipality()
    {
        await using var s = await Stores.CreateAsync(await CreateDatabaseAsync());
        var series = new SupervisionSeriesService(s.SupportPersons, s.Clock, NullLogger<SupervisionSeriesService>.Instance);
        var register = new SupportPersonRegister(s.SupportPersons, series, s.Clock, NullLogger<SupportPersonRegister>.Instance);
        var ids = new Dictionary<string, Guid>();
        foreach (var tenant in new[] { Aarhus, Default })
        {
            // The same team name and the same linked user name in both: unique within a municipality, not across.
            using var scope = TenantScope.Enter(tenant);
            ids[tenant] = (await register.RegisterAsync(Profile("SKP " + tenant), default)).Id;
        }

        foreach (var (tenant, other) in new[] { (Aarhus, Default), (Default, Aarhus) })
        {
            using var scope = TenantScope.Enter(tenant);
            Assert.Equal(["SKP " + tenant], (await register.ListAsync(default)).Select(p => p.DisplayName));
            Assert.Null(await register.GetAsync(ids[other], default));
            Assert.Equal("SKP " + tenant, (await register.FindByUserAsync("skp@exit.demo", default))!.DisplayName);
            await Assert.ThrowsAsync<SupportPersonNotFoundException>(() => register.UpdateAsync(ids[other], Profile("taken over"), default));
            var mine = await series.SeriesAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), withNotes: true, default);
            Assert.Equal(("Nord", 1), (Assert.Single(mine).Team, mine[0].Sessions.Count));
        }

        // Planning in one municipality makes sessions for its own series only.
        s.Clock.SetUtcNow(Now.AddMonths(1));
        using (TenantScope.Enter(Default)) Assert.Equal(1, await series.PlanAsync(s.Clock.GetUtcNow(), default));
        using (TenantScope.Enter(Aarhus))
            Assert.Single(Assert.Single(await series.SeriesAsync(new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31), withNotes: false, default)).Sessions);
    }

    [DatabaseFact]
    public async Task RetiringPerCourseSupervision_AtStartUp_ReachesEveryMunicipality()
    {
        await using var s = await Stores.CreateAsync(await CreateDatabaseAsync());
        foreach (var tenant in new[] { Aarhus, Default })
        {
            using var scope = TenantScope.Enter(tenant);
            await using var db = s.Tasks.Create();
            db.Tasks.Add(new TaskRecord
            {
                Id = "supervision-" + tenant, Title = "Supervision", Kind = CtiTaskKinds.Supervision, InstanceId = "i-" + tenant, ActivityInstanceId = "a",
                ActivityId = "act", BookmarkKey = "b-" + tenant, AllowedOutcomesJson = "[\"Held\"]", Status = HumanTaskStatus.Open, Role = "supervisor", CreatedAt = Now,
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal(2, await PerCourseSupervisionRetirement.RetireAsync(s.Tasks, s.Clock, default));
        foreach (var tenant in new[] { Aarhus, Default })
        {
            using var scope = TenantScope.Enter(tenant);
            await using var db = s.Tasks.Create();
            var row = await db.Tasks.SingleAsync();
            Assert.Equal((HumanTaskStatus.Cancelled, tenant), (row.Status, row.TenantId));
        }
    }

    private static SupportPersonProfile Profile(string name) => new(
        name, "Nord", ["dansk"], new DateOnly(2026, 11, 1), 3, "telefon", new DateOnly(2026, 11, 1), SupportPersonStatus.Active, "skp@exit.demo");

    /// <summary>The workflow store and the three activity stores migrated into one database, as the Host has them.</summary>
    private sealed class Stores(ITestDatabase database) : IAsyncDisposable
    {
        public TaskDbContextFactory Tasks { get; } = new(new HumanTaskStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        public CtiDbContextFactory Cti { get; } = new(new CtiStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        public SupportPersonsDbContextFactory SupportPersons { get; } =
            new(new SupportPersonsStoreOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString });
        public Exit.Workflows.Testing.ManualTimeProvider Clock { get; } = new(Now);
        public CtiCommitParticipant CtiParticipant => new(Cti, Tasks, new DanishWorkingDays());

        public static async Task<Stores> CreateAsync(ITestDatabase database)
        {
            var stores = new Stores(database);
            // The task read before a completion reads the task's instance in the same round trip on PostgreSQL.
            await using (var workflows = new ServiceCollection()
                .AddWorkflowPersistence(new DatabaseOptions { Provider = database.Options.Provider, ConnectionString = database.Options.ConnectionString, MigrateOnStartup = false })
                .BuildServiceProvider())
            {
                await workflows.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }
            await using (var db = stores.Tasks.Create()) await db.Database.MigrateAsync();
            await using (var db = stores.Cti.Create()) await db.Database.MigrateAsync();
            await using (var db = stores.SupportPersons.Create()) await db.Database.MigrateAsync();
            return stores;
        }

        /// <summary>Applies effects as the runtime's commit does (own connection and transaction), inside <paramref name="tenant"/>.</summary>
        public async Task CommitAsync(string tenant, ICommitParticipant participant, params object[] effects)
        {
            using var scope = TenantScope.Enter(tenant);
            await using DbConnection connection = database.Options.Provider == DatabaseProvider.Sqlite
                ? new SqliteConnection(database.Options.ConnectionString)
                : new NpgsqlConnection(database.Options.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await participant.ApplyAsync(new CommitContext(connection, transaction, database.Options.Provider), effects, default);
            await transaction.CommitAsync();
        }

        /// <summary>A citizen with a running course, one evaluation and one logged contact in <paramref name="tenant"/>.</summary>
        public async Task<(Guid Citizen, Guid Course, string Worker)> CourseAsync(string tenant, string worker)
        {
            var citizen = Guid.NewGuid();
            using (TenantScope.Enter(tenant))
            await using (var db = Cti.Create())
            {
                db.Citizens.Add(new CitizenRecord { Id = citizen.ToString(), Alias = "Borger " + tenant, CreatedAt = Now.AddDays(-30) });
                await db.SaveChangesAsync();
            }

            var course = CohortBuilder.Course(citizen, Now.AddDays(-20), CoursePeriod.Phase1, complete: false, worker: worker);
            var contact = new Contact(Guid.NewGuid(), 1, course.Id, ContactKind.InPerson, Now.AddDays(-2), 30, ContactPlace.Office, [worker], [], [], "note", worker, Now.AddDays(-2));
            await CommitAsync(tenant, CtiParticipant,
                new CourseSaved(course.ToState(), "i-" + tenant, Now.AddDays(-20)),
                new EvaluationRecorded(Guid.NewGuid().ToString(), CohortBuilder.Eval(course, EvaluationKind.Baseline, Now.AddDays(-19), 40, true, 2), worker),
                new ContactRecorded(contact));
            return (citizen, course.Id.Value, worker);
        }

        public async ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            await database.DisposeAsync();
        }
    }

    /// <summary>A runtime that must not be reached: every refusal here happens before a resume.</summary>
    private sealed class NeverResumingRuntime : IWorkflowRuntime
    {
        public Task<WorkflowRunResult?> ResumeAsync(ResumeBookmarkRequest request, CancellationToken ct) =>
            throw new InvalidOperationException("Another municipality's task reached the runtime.");
        public Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, string? correlationId, JsonNode? payload, CancellationToken ct) => throw new NotSupportedException();
        public Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
        public Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken ct) => throw new NotSupportedException();
    }
}

public sealed class SqliteActivityStoreTenancyTests : ActivityStoreTenancyTests
{
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

[RequiresPostgres]
public sealed class PostgresActivityStoreTenancyTests : ActivityStoreTenancyTests
{
    protected override async Task<ITestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
