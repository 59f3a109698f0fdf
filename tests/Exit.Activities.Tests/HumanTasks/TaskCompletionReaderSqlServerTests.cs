using Exit.Activities.HumanTasks;
using Exit.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>
/// The task completion's hand-written read on SQL Server, parsed by Microsoft's T-SQL parser (syntax only: no engine here).
/// The participant's writes go through EF's <c>ExecuteSqlAsync</c> and are plain INSERT/UPDATE with quoted names.
/// </summary>
public sealed class TaskCompletionReaderSqlServerTests
{
    [Fact]
    public void The_completion_read_parses_as_one_select_filtered_by_tenant_and_id()
    {
        var (script, errors) = TSqlSyntax.Parse(TaskCompletionReader.Sql);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        Assert.IsType<SelectStatement>(Assert.Single(TSqlSyntax.Statements(script)));
        Assert.Equal(new HashSet<string> { "@tenant", "@id" }, TSqlSyntax.Parameters(script));
    }
}
