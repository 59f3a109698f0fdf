using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Exit.Activities.Cti.Reports;
using Exit.Activities.HumanTasks;
using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Testing;
using Xunit;

namespace Exit.Activities.Tests.Persistence;

/// <summary>
/// The modules' LINQ (task lists, CTI reports and their staffing and supervision reads) translated by EF's SQL Server
/// provider and parsed as T-SQL, without an engine: the real query code runs on SQL Server contexts whose connection is
/// never opened (<see cref="EngineFreeSql"/> records each command and answers with no rows). Syntax and translatability
/// only; with no rows, paths that run only on data (a course's details) are not reached.
/// </summary>
public sealed class ModuleQueriesOnSqlServerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private const string NoEngine = "Server=none;Database=exit";

    [Fact]
    public async Task The_task_queries_translate_to_TSql_that_parses()
    {
        var capture = new EngineFreeSql();
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = NoEngine, Interceptors = [capture] });
        var queries = new TaskQueries(tasks, new ManualTimeProvider(Now));

        await queries.ListAsync(new TaskFilter(), default);
        await queries.ListAsync(new TaskFilter(Assignee: "kirsten", Status: HumanTaskStatus.Open, Overdue: true, Page: 3, PageSize: 20), default);
        await queries.ListAsync(new TaskFilter(Role: "Supervisor", Overdue: false, CorrelationId: "course-1", CountLimit: null), default);
        await queries.GetAsync("task-1", default);

        AssertEveryCommandParses(capture, atLeast: 4);
    }

    [Fact]
    public async Task The_CTI_reports_translate_to_TSql_that_parses()
    {
        var capture = new EngineFreeSql();
        var cti = new CtiDbContextFactory(new CtiStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = NoEngine, Interceptors = [capture] });
        var tasks = new TaskDbContextFactory(new HumanTaskStoreOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = NoEngine, Interceptors = [capture] });
        var data = new ReportData(cti, tasks, new ReportCourseCache());
        var reports = new CtiReports(data, new CompletedSupervisionTasks(tasks), new ReportOptions { SuppressBelow = 1 }, new ManualTimeProvider(Now));

        foreach (var filter in new ReportFilter[] { new(), new(Team: "Team Nord"), new(Year: 2025, Goal: CourseGoal.Exit), new(CompletedOnly: true) })
        {
            await reports.OutcomeAsync(filter, default);
            await reports.FidelityAsync(filter, default);
        }
        await reports.ChoicesAsync(default);
        await data.StaffingAsync(default);
        await data.StaffingEntriesAsync(default);
        await data.ResponsibleWorkersAsync(default);

        AssertEveryCommandParses(capture, atLeast: 6);
    }

    private static void AssertEveryCommandParses(EngineFreeSql capture, int atLeast)
    {
        Assert.True(capture.Commands.Count >= atLeast, $"only {capture.Commands.Count} commands were sent");
        // SQL Server's SQL, from EF's SQL Server provider: bracketed names, no LIMIT.
        Assert.All(capture.Commands, sql => Assert.Contains("[", sql, StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Commands, c => c.Contains(" LIMIT ", StringComparison.Ordinal));
        foreach (var sql in capture.Commands)
        {
            var errors = TSqlSyntax.Errors(sql);
            Assert.True(errors.Count == 0, $"{string.Join("; ", errors)}\n{sql}");
        }
    }
}
