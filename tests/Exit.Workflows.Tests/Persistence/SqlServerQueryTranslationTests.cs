using Exit.Testing;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Exit.Workflows.State;
using Exit.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// The store's LINQ queries (the ones EF writes, not the hand-written ones) translated by EF's SQL Server provider and
/// parsed as T-SQL, without an engine: the real store methods run on a SQL Server context whose connection is never opened
/// (<see cref="EngineFreeSql"/> records each command and answers it with no rows). A query SQL Server's provider cannot
/// translate fails here as it would on the first request; one it translates into something T-SQL cannot parse, too.
/// </summary>
public sealed class SqlServerQueryTranslationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_instance_stores_queries_translate_to_TSql_that_parses()
    {
        var (capture, factory, options) = Create();
        await using var store = new EfWorkflowInstanceStore(factory, options, []);

        await store.FindBookmarksAsync(new BookmarkFilter(TimersOnly: true, DueBefore: Now) { Take = 25 }, default);
        await store.FindBookmarksAsync(new BookmarkFilter(CorrelationId: "c-1", Kind: "Exit.HumanTask"), default);
        await store.ListAsync(new InstanceFilter(DefinitionIds: ["a", "b"], Status: WorkflowStatus.Running, SearchTerm: "Ab", Page: 2), default);
        await store.ListAsync(new InstanceFilter(DefinitionId: "a", CorrelationId: "c", Descending: false), default);
        await store.GetJournalAsync("instance-1", 10, 20, default);
        await foreach (var _ in store.ListTimerBookmarksAsync(default)) { }
        Assert.Null(await store.FindNextTimerDueAsync(Now, default));

        AssertEveryCommandParses(capture, atLeast: 9);
        // SQL Server's SQL, from EF's SQL Server provider: bracketed names.
        Assert.Contains(capture.Commands, c => c.Contains("FROM [wf_bookmarks] AS [w]", StringComparison.Ordinal));
        // SQL Server pages with OFFSET … FETCH or TOP, never LIMIT.
        Assert.Contains(capture.Commands, c => c.Contains("OFFSET", StringComparison.Ordinal) && c.Contains("FETCH NEXT", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Commands, c => c.Contains("LIMIT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_due_timer_pages_translate_to_TSql_that_parses_with_and_without_a_cursor()
    {
        var (capture, factory, _) = Create();
        var reader = new EfDueTimerPageReader(factory);

        await reader.ReadDueAsync(Now, after: null, take: 100, default);
        await reader.ReadDueAsync(Now, new DueTimerCursor(Now.AddMinutes(-1), "bookmark-7"), take: 100, default);

        AssertEveryCommandParses(capture, atLeast: 2);
        // The cursor (string.Compare on the id) is a plain comparison in SQL Server's collation.
        Assert.Contains(capture.Commands, c => c.Contains("[w].[id] > ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_definition_stores_queries_translate_to_TSql_that_parses()
    {
        var (capture, factory, _) = Create();
        var store = new EfWorkflowDefinitionStore(factory, new DelegateWorkflowGraphParser(PersistenceHarness.TrivialGraph));

        foreach (var versions in new[] { VersionOptions.Latest, VersionOptions.Published, VersionOptions.LatestOrPublished, VersionOptions.AllVersions })
        {
            await store.FindVersionIdAsync("def", versions, default);
            await store.FindAsync("def", versions, default);
        }
        await store.FindByIdAsync("def:v1", default);
        await store.VersionIdExistsAsync("def:v1", default);
        await store.ListAsync(new DefinitionFilter(SearchTerm: "Forløb", Page: 1), default);
        await store.ListSummariesAsync(new DefinitionFilter(Versions: VersionOptions.Published, DefinitionIds: ["a", "b"]), default);

        AssertEveryCommandParses(capture, atLeast: 12);
    }

    private static void AssertEveryCommandParses(EngineFreeSql capture, int atLeast)
    {
        Assert.True(capture.Commands.Count >= atLeast, $"only {capture.Commands.Count} commands were sent");
        foreach (var sql in capture.Commands)
        {
            var errors = TSqlSyntax.Errors(sql);
            Assert.True(errors.Count == 0, $"{string.Join("; ", errors)}\n{sql}");
        }
    }

    private static (EngineFreeSql Capture, IDbContextFactory<WorkflowDbContext> Factory, DatabaseOptions Options) Create()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=none;Database=exit" };
        var capture = new EngineFreeSql();
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        builder.UseExitDatabase(options).AddInterceptors(capture);
        return (capture, new PooledDbContextFactory<WorkflowDbContext>(builder.Options), options);
    }
}
