using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.State;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

/// <summary>
/// Jint 4 runs the ES2015 Elsa users write, and each sandbox limit ends a runaway script in a published workflow
/// with an incident that names the limit, through the real runtime (the instance faults, nothing hangs).
/// </summary>
public sealed class JavaScriptSandboxTests
{
    private static string Flow(string id, string script, string variables = "[]") => $$"""
        {
          "definitionId": "{{id}}", "id": "{{id}}-v1", "name": "{{id}}", "variables": {{variables}},
          "root": { "id": "Flowchart1", "type": "Elsa.Flowchart", "activities": [
            { "id": "Start1", "type": "Elsa.Start" },
            { "id": "Say", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": {{JsonValue.Create(script).ToJsonString()}} } } }
          ], "connections": [ { "source": "Start1", "target": "Say", "sourcePort": "Done", "targetPort": "In" } ] }
        }
        """;

    private static async Task<(WorkflowHarness Harness, Exit.Workflows.Execution.WorkflowRunResult Result)> RunAsync(
        string script, string variables = "[]", Action<IServiceCollection>? services = null, JavaScriptOptions? limits = null)
    {
        var h = new WorkflowHarness(services, o =>
        {
            if (limits is not null) o.JavaScript = limits;
        });
        await h.PublishAsync(Flow("js", script, variables));
        return (h, await h.StartAsync("js"));
    }

    [Theory]
    [InlineData("[1, 2, 3].map(x => x * 2).join()", "2,4,6")]
    [InlineData("let a = 1; const b = 2; return `${a} + ${b} = ${a + b}`;", "1 + 2 = 3")]
    [InlineData("const { x, y = 5 } = { x: 1 }; const [first, ...rest] = [7, 8, 9]; return `${x}${y}${first}${rest.length}`;", "1572")]
    [InlineData("class Greeter { constructor(n) { this.n = n; } hi() { return 'hej ' + this.n; } } return new Greeter('Ada').hi();", "hej Ada")]
    [InlineData("const m = new Map([['a', 1]]); return [...m.keys()].concat(Object.entries({ b: 2 }).map(([k, v]) => k + v)).join('|');", "a|b2")]
    [InlineData("return [3, 1, 2].sort().find(n => n > 1) + '' + 'abc'.includes('b');", "2true")]
    public async Task Es2015Syntax_RunsInAPublishedWorkflow(string script, string expected)
    {
        var (h, result) = await RunAsync(script);
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Equal([expected], await h.LinesAsync(result.InstanceId));
    }

    [Fact]
    public async Task Es2015_ElsaAccessors_StillWork()
    {
        var (h, result) = await RunAsync(
            "setCount(getCount() + 1); const n = getCount(); return `count ${n}`;",
            """[ { "id": "v1", "name": "Count", "typeName": "Int32", "value": "41" } ]""");
        await using var _ = h;
        Assert.Equal(["count 42"], await h.LinesAsync(result.InstanceId));
    }

    public static TheoryData<string, string> Bombs => new()
    {
        { "let s = 'x'; while (true) { s = s + s; }", "memory limit" },
        { "const a = []; for (let i = 0; ; i++) { a.push('x'.repeat(100000) + i); }", "memory limit" },
        { "return /(a+)+$/.test('a'.repeat(40) + '!');", "regular-expression time limit" },
        { "while (true) { }", "statement limit" },
        { "const f = n => f(n + 1); return f(0);", "recursion limit" },
        { "return new Array(50000000).length;", "array size limit" },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task RunawayScript_EndsWithAnIncidentNamingTheLimit(string script, string limit)
    {
        var started = DateTime.UtcNow;
        var (h, result) = await RunAsync(script);
        await using var _ = h;

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        var incident = Assert.Single(result.Incidents);
        Assert.Equal("Say", incident.ActivityId);
        Assert.Contains(limit, incident.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the sandbox must stop the script promptly");
    }

    [Fact]
    public async Task TimeLimit_EndsAScriptThatStaysUnderTheStatementLimit()
    {
        var (h, result) = await RunAsync("while (true) { }",
            limits: new JavaScriptOptions { MaxStatements = int.MaxValue, Timeout = TimeSpan.FromMilliseconds(300) });
        await using var _ = h;

        Assert.Contains("time limit (300 ms)", Assert.Single(result.Incidents).Message);
    }

    [Fact]
    public async Task HiddenVariable_CannotBeReadOrWrittenByAScript()
    {
        const string variables = """[ { "id": "CtiCourse", "name": "CtiCourse", "typeName": "Object" }, { "id": "v2", "name": "Note", "typeName": "String", "value": "open" } ]""";
        void Hide(IServiceCollection s) => s.AddSingleton(new ScriptHiddenVariable("CtiCourse"));

        var (read, readResult) = await RunAsync(
            "return typeof getCtiCourse + '|' + typeof variables.CtiCourse + '|' + typeof getVariable('CtiCourse') + '|' + variables.Note;",
            variables, Hide);
        await using (read)
        {
            Assert.Equal(["undefined|undefined|undefined|open"], await read.LinesAsync(readResult.InstanceId));
        }

        var (write, writeResult) = await RunAsync("setVariable('CtiCourse', { responsibleWorkerId: 'someone' }); return 'x';", variables, Hide);
        await using (write)
        {
            Assert.Contains("cannot be set from a script", Assert.Single(writeResult.Incidents).Message);
        }

        var (assign, assignResult) = await RunAsync("variables.CtiCourse = { responsibleWorkerId: 'someone' }; return 'x';", variables, Hide);
        await using (assign)
        {
            Assert.Contains("cannot be set from a script", Assert.Single(assignResult.Incidents).Message);
        }
    }

    [Fact]
    public void Validator_AcceptsEs2015_AndNamesTheLineOfASyntaxError()
    {
        Assert.Null(DefinitionValidator.JavaScriptSyntaxError("const f = (a, b) => `${a}${b}`; return f(1, 2);"));
        var error = DefinitionValidator.JavaScriptSyntaxError("const a = 1;\nlet = ;");
        Assert.NotNull(error);
        Assert.Contains("line 2", error);
    }
}
