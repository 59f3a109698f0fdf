using Exit.Host.Infrastructure.Audit;
using Exit.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace Exit.Host.Tests.SqlServer;

/// <summary>
/// The Host's hand-written SQL that runs on SQL Server, parsed by Microsoft's T-SQL parser (syntax only: no engine here;
/// <see cref="SqlServerEngineTests"/> runs it when EXIT_TEST_SQLSERVER is set). The runtime's statements are checked in
/// Exit.Workflows.Tests (SqlServerStatementTests).
/// </summary>
public sealed class SqlServerRawSqlTests
{
    [Fact]
    public void The_audit_appends_lock_then_last_hash_parses_as_a_lock_call_and_one_select_with_the_tenant_and_lane_parameters()
    {
        var (script, errors) = TSqlSyntax.Parse(AuditChain.SqlServerLockThenLastHashSql);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        var statements = TSqlSyntax.Statements(script);
        Assert.Contains(statements, s => s is ExecuteStatement);
        // One result set: the reader starts at the last hash (AppendInTransactionAsync reads it first).
        Assert.Single(statements, s => s is SelectStatement);
        Assert.Equal(["@tenantId", "@lane"], TSqlSyntax.Parameters(script));
    }

    [Fact]
    public void The_audit_lane_draw_parses_as_one_select_of_the_next_sequence_value()
    {
        var (script, errors) = TSqlSyntax.Parse(AuditLane.SqlServerNextSql);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        var select = Assert.IsType<SelectStatement>(Assert.Single(TSqlSyntax.Statements(script)));
        var query = Assert.IsType<QuerySpecification>(select.QueryExpression);
        var column = Assert.IsType<SelectScalarExpression>(Assert.Single(query.SelectElements));
        Assert.IsType<NextValueForExpression>(column.Expression);
    }

    [Fact]
    public void The_audit_insert_parses_with_one_parameter_per_column()
    {
        var (script, errors) = TSqlSyntax.Parse(AuditChain.InsertSql);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        var insert = Assert.IsType<InsertStatement>(Assert.Single(TSqlSyntax.Statements(script)));
        Assert.Equal(insert.InsertSpecification.Columns.Count, TSqlSyntax.Parameters(script).Count);
    }
}
