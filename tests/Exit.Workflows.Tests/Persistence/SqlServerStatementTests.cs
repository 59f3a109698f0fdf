using Exit.Testing;
using Exit.Workflows.Alterations;
using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

/// <summary>
/// The hand-written SQL the runtime sends on SQL Server, parsed by Microsoft's T-SQL parser (no SQL Server engine on these
/// machines: this is syntax, not behaviour; the engine tests run the store contract when EXIT_TEST_SQLSERVER is set).
/// Every statement of the group-commit writer (each journal batch size from 1 to the largest), the instance store's raw
/// reads, the alteration job's commit participant and the start-up schema lock.
/// </summary>
public sealed class SqlServerStatementTests
{
    /// <summary>SQL Server's limit of parameters per statement (sp_executesql).</summary>
    private const int SqlServerMaxParameters = 2100;

    public static TheoryData<string> WriterStatements() => [.. InstanceCommitWriter.SqlServerStatements().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(WriterStatements))]
    public void Each_statement_of_the_commit_writer_parses_as_one_TSql_statement_with_the_parameters_it_binds(string name)
    {
        var statement = InstanceCommitWriter.SqlServerStatements().Single(s => s.Name == name);
        var (script, errors) = TSqlSyntax.Parse(statement.Sql);
        Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}\n{statement.Sql}");
        // A bare word parses as a procedure call (see below): none of the writer's statements is one.
        Assert.IsNotType<ExecuteStatement>(Assert.Single(TSqlSyntax.Statements(script)));
        // The writer binds parameters by position: the SQL must name exactly as many as it binds.
        Assert.Equal(statement.ParameterCount, TSqlSyntax.Parameters(script).Count);
        Assert.InRange(statement.ParameterCount, 0, SqlServerMaxParameters);
    }

    [Fact]
    public void The_writer_covers_every_journal_batch_size_and_the_savepoints()
    {
        var names = InstanceCommitWriter.SqlServerStatements().Select(s => s.Name).ToList();
        Assert.Contains("insert 1 journal row(s)", names);
        Assert.Contains("insert 8 journal row(s)", names);
        Assert.Contains("savepoint", names);
        Assert.Contains("rollback to savepoint", names);
        var journal = InstanceCommitWriter.SqlServerStatements().Where(s => s.Name.Contains("journal", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, journal.Count);
        Assert.Equal(journal.Max(s => s.ParameterCount), journal.Single(s => s.Name == "insert 8 journal row(s)").ParameterCount);
    }

    [Fact]
    public void The_instance_insert_inserts_only_when_absent_under_an_update_range_lock()
    {
        var insert = InstanceCommitWriter.SqlServerStatements().Single(s => s.Name == "insert instance");
        var (script, errors) = TSqlSyntax.Parse(insert.Sql);
        Assert.Empty(errors);
        var statement = Assert.IsType<InsertStatement>(Assert.Single(TSqlSyntax.Statements(script)));
        var select = Assert.IsType<SelectInsertSource>(statement.InsertSpecification.InsertSource);
        var where = Assert.IsType<QuerySpecification>(select.Select).WhereClause.SearchCondition;
        var not = Assert.IsType<BooleanNotExpression>(where);
        Assert.IsType<ExistsPredicate>(not.Expression);
        var hints = TSqlSyntax.TableHints(script);
        Assert.Contains(TableHintKind.UpdLock, hints);
        Assert.Contains(TableHintKind.HoldLock, hints);
        Assert.DoesNotContain("CONFLICT", insert.Sql, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_savepoints_are_SQL_Servers_save_and_rollback_of_a_named_transaction_point()
    {
        var statements = InstanceCommitWriter.SqlServerStatements();
        var save = TSqlSyntax.Parse(statements.Single(s => s.Name == "savepoint").Sql);
        var rollback = TSqlSyntax.Parse(statements.Single(s => s.Name == "rollback to savepoint").Sql);
        Assert.Empty(save.Errors);
        Assert.Empty(rollback.Errors);
        Assert.Equal("exit_commit", Assert.IsType<SaveTransactionStatement>(Assert.Single(TSqlSyntax.Statements(save.Script))).Name.Value);
        Assert.Equal("exit_commit", Assert.IsType<RollbackTransactionStatement>(Assert.Single(TSqlSyntax.Statements(rollback.Script))).Name.Value);
    }

    public static TheoryData<string, string> OtherRawSql() => new()
    {
        { "instance by id", EfWorkflowInstanceStore.FindByIdSql },
        { "instance and bookmarks by bookmark", EfWorkflowInstanceStore.FindByBookmarkSql },
        { "bookmarks by instance", EfWorkflowInstanceStore.BookmarksWhereSql(EfWorkflowInstanceStore.ByInstanceWhere) },
        { "bookmark by id", EfWorkflowInstanceStore.BookmarksWhereSql(EfWorkflowInstanceStore.ByIdWhere) },
        { "bookmarks by kind and key", EfWorkflowInstanceStore.BookmarksWhereSql(EfWorkflowInstanceStore.ByKindAndKeyWhere) },
        { "alteration job completed in the commit", AlterationJobCommitParticipant.Sql },
        { "start-up schema lock", StartupSchemaLock.SqlServerAcquireSql },
        { "start-up schema unlock", StartupSchemaLock.SqlServerReleaseSql },
    };

    [Theory]
    [MemberData(nameof(OtherRawSql))]
    public void The_other_raw_SQL_that_runs_on_SQL_Server_parses(string name, string sql)
    {
        var errors = TSqlSyntax.Errors(sql);
        Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}\n{sql}");
    }

    [Fact]
    public void The_instance_read_by_bookmark_is_two_statements_two_result_sets()
    {
        var (script, errors) = TSqlSyntax.Parse(EfWorkflowInstanceStore.FindByBookmarkSql);
        Assert.Empty(errors);
        Assert.Equal(2, TSqlSyntax.Statements(script).Count(s => s is SelectStatement));
    }

    [Fact]
    public void The_start_up_lock_passes_its_resource_as_its_only_parameter()
    {
        var (script, errors) = TSqlSyntax.Parse(StartupSchemaLock.SqlServerAcquireSql);
        Assert.Empty(errors);
        Assert.Equal(["@lock_resource"], TSqlSyntax.Parameters(script));
    }

    /// <summary>The check above can fail: PostgreSQL's statements, which SQL Server cannot run, are refused by the parser.</summary>
    [Theory]
    [InlineData("INSERT INTO \"wf_instances\" (\"id\") VALUES (@id) ON CONFLICT (\"id\") DO NOTHING")]
    [InlineData("RELEASE SAVEPOINT exit_commit")]
    [InlineData("ROLLBACK TO SAVEPOINT exit_commit")]
    [InlineData("SELECT \"Hash\" FROM \"ExitAuditEntries\" ORDER BY \"Id\" DESC LIMIT 1")]
    public void PostgreSQL_syntax_is_refused_by_the_parser(string sql) => Assert.NotEmpty(TSqlSyntax.Errors(sql));

    /// <summary>Why the tests above check each statement's kind: T-SQL reads PostgreSQL's savepoint as a procedure call.</summary>
    [Fact]
    public void A_bare_PostgreSQL_savepoint_parses_but_as_a_call_of_a_procedure_named_SAVEPOINT()
    {
        var (script, errors) = TSqlSyntax.Parse("SAVEPOINT exit_commit");
        Assert.Empty(errors);
        Assert.IsType<ExecuteStatement>(Assert.Single(TSqlSyntax.Statements(script)));
    }

    [Fact]
    public void The_claims_that_share_work_between_hosts_are_PostgreSQL_only_and_the_parser_says_so()
    {
        // Clustering on SQL Server is refused at start-up (TimerServiceCollectionExtensions); these never run there.
        Assert.NotEmpty(TSqlSyntax.Errors(TimerClaim.ClaimSql(withCursor: true)));
        Assert.NotEmpty(TSqlSyntax.Errors(AlterationJobClaim.ClaimSql));
    }

    [Fact]
    public void Nothing_is_listed_as_missing_and_the_refusal_still_names_what_would_be()
    {
        Assert.Empty(SqlServerSupport.Missing);
        SqlServerSupport.ThrowIfIncomplete(DatabaseProvider.SqlServer);
        var refused = Assert.Throws<NotSupportedException>(() => SqlServerSupport.ThrowIfIncomplete(DatabaseProvider.SqlServer, ["the widget writer"]));
        Assert.Contains("the widget writer", refused.Message, StringComparison.Ordinal);
        SqlServerSupport.ThrowIfIncomplete(DatabaseProvider.Postgres, ["the widget writer"]);
    }
}
