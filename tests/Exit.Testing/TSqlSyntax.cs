using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Exit.Testing;

/// <summary>
/// T-SQL checked without an engine: Microsoft's own parser (ScriptDom, SQL Server 2022 grammar) with QUOTED_IDENTIFIER ON,
/// as SqlClient connections run. It catches what SQL Server would reject as syntax (ON CONFLICT, LIMIT, RETURNING,
/// SAVEPOINT…), not names or types: those need a database.
/// </summary>
public static class TSqlSyntax
{
    /// <summary>The parse errors of <paramref name="sql"/> ("line:column message"), none when SQL Server would parse it.</summary>
    public static IReadOnlyList<string> Errors(string sql) => Parse(sql).Errors;

    /// <summary>The parsed script and its errors.</summary>
    public static (TSqlFragment Script, IReadOnlyList<string> Errors) Parse(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var script = parser.Parse(reader, out var errors);
        return (script, errors.Select(e => $"{e.Line}:{e.Column} {e.Message}").ToList());
    }

    /// <summary>The statements of the script's batches.</summary>
    public static IReadOnlyList<TSqlStatement> Statements(TSqlFragment script) =>
        script is TSqlScript s ? s.Batches.SelectMany(b => b.Statements).ToList() : [];

    /// <summary>The distinct <c>@names</c> a script refers to that it does not declare itself: its parameters.</summary>
    public static IReadOnlySet<string> Parameters(TSqlFragment script)
    {
        var visitor = new VariableVisitor();
        script.Accept(visitor);
        visitor.Referenced.ExceptWith(visitor.Declared);
        visitor.Referenced.ExceptWith(visitor.ProcedureParameterNames);
        return visitor.Referenced;
    }

    /// <summary>The table hints (UPDLOCK, READPAST…) anywhere in the script.</summary>
    public static IReadOnlySet<TableHintKind> TableHints(TSqlFragment script)
    {
        var visitor = new HintVisitor();
        script.Accept(visitor);
        return visitor.Hints;
    }

    private sealed class VariableVisitor : TSqlFragmentVisitor
    {
        public HashSet<string> Referenced { get; } = new(StringComparer.OrdinalIgnoreCase);
        public HashSet<string> Declared { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(VariableReference node) => Referenced.Add(node.Name);

        public HashSet<string> ProcedureParameterNames { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(DeclareVariableElement node) => Declared.Add(node.VariableName.Value);

        // EXEC proc @Name = value: @Name is the procedure's parameter, not one of the command's.
        public override void Visit(ExecuteParameter node)
        {
            if (node.Variable is { } name) ProcedureParameterNames.Add(name.Name);
        }
    }

    private sealed class HintVisitor : TSqlFragmentVisitor
    {
        public HashSet<TableHintKind> Hints { get; } = [];

        public override void Visit(TableHint node) => Hints.Add(node.HintKind);
    }
}
