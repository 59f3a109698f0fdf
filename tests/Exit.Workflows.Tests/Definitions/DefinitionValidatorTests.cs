using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionValidatorTests
{
    private readonly DefinitionValidator _validator = new(TestRegistry.Create());

    public static IEnumerable<object[]> ValidFixtures() =>
        DefinitionFixtures.All().Where(f => (string)f[0] != "import-and-publish/bad-cron-expression.json");

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void Validate_ConformanceFixture_HasNoProblems(string fixture)
    {
        var problems = _validator.Validate(DefinitionJsonReader.Parse(DefinitionFixtures.Bytes(fixture)));

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_BadCronFixture_GivesExactlyOneProblemNamingActivityAndField()
    {
        var problems = _validator.Validate(DefinitionJsonReader.Parse(DefinitionFixtures.Bytes("import-and-publish/bad-cron-expression.json")));

        var problem = Assert.Single(problems);
        Assert.Equal(DefinitionProblemCodes.InvalidCron, problem.Code);
        Assert.Equal("13658e4b3bfafaaf", problem.ActivityId);
        Assert.Equal("cronExpression", problem.InputName);
        Assert.Contains("'Cron1'", problem.Message);
        Assert.Contains("13658e4b3bfafaaf", problem.Message);
        Assert.Contains("'cronExpression'", problem.Message);
        Assert.Contains("'BadCronExpression'", problem.Message);
    }

    [Fact]
    public void Validate_UnknownTypeAndVersion_NamesBoth()
    {
        var problems = Validate(Activity("a", "Acme.Missing") + "," + Activity("b", "Elsa.WriteLine", version: 3));

        Assert.Collection(problems,
            p =>
            {
                Assert.Equal(DefinitionProblemCodes.UnknownActivityType, p.Code);
                Assert.Contains("'Acme.Missing' (version 1)", p.Message);
            },
            p =>
            {
                Assert.Equal(DefinitionProblemCodes.UnknownActivityVersion, p.Code);
                Assert.Contains("version 3 of 'Elsa.WriteLine'", p.Message);
                Assert.Contains("registered versions: 1", p.Message);
            });
    }

    [Fact]
    public void Validate_NotFoundActivity_IsAProblem()
    {
        var problems = Validate(Activity("a", WellKnownTypes.NotFound, """ "missingTypeName":"Acme.Gone","missingTypeVersion":2 """));

        var problem = Assert.Single(problems);
        Assert.Equal(DefinitionProblemCodes.MissingActivity, problem.Code);
        Assert.Contains("Acme.Gone", problem.Message);
    }

    [Fact]
    public void Validate_ConnectionFromMissingFixedPort_IsAProblem_DynamicAndDefaultPortsAreNot()
    {
        var problems = Validate(
            Activity("d", "Elsa.FlowDecision") + "," + Activity("w", "Elsa.WriteLine") + "," + Activity("f", "Elsa.FlowFork") + "," + Activity("e", "Elsa.End"),
            Connection("d", "Maybe", "w") + "," + Connection("d", "True", "w") + "," + Connection("f", "Anything", "w") + "," + Connection("w", "Other", "e"));

        var problem = Assert.Single(problems);
        Assert.Equal(DefinitionProblemCodes.UnknownPort, problem.Code);
        Assert.Equal("d", problem.ActivityId);
        Assert.Contains("'Maybe'", problem.Message);
        Assert.Contains("True, False", problem.Message);
    }

    [Fact]
    public void Validate_DanglingConnectionAndDuplicateId_AreProblems()
    {
        var problems = Validate(Activity("a", "Elsa.Start") + "," + Activity("a", "Elsa.End"), Connection("a", "Done", "nowhere"));

        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DuplicateActivityId);
        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DanglingConnection && p.Message.Contains("'nowhere'"));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Validate_GraphOverload_IncludesStructuralChecks()
    {
        var parsed = Parse(Activity("a", "Elsa.Start"), Connection("a", "Done", "nowhere"));

        Assert.Single(_validator.Validate(parsed.Graph), p => p.Code == DefinitionProblemCodes.DanglingConnection);
    }

    [Fact]
    public void Validate_DuplicateVariablesAndUnknownType_AreProblems()
    {
        var problems = Validate(Activity("a", "Elsa.Start"), variables: """
            {"id":"v1","name":"x","typeName":"Int32"},{"id":"v1","name":"y","typeName":"String"},
            {"id":"v2","name":"x","typeName":"Acme.Nope, Acme"}
            """);

        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DuplicateVariableId);
        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.DuplicateVariableName && p.Message.Contains("'x'"));
        Assert.Contains(problems, p => p.Code == DefinitionProblemCodes.UnknownVariableType && p.Message.Contains("Acme.Nope"));
        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData("Elsa.Delay", "timeSpan", "00:00:05", null)]
    [InlineData("Elsa.Delay", "timeSpan", "PT5M", null)]
    [InlineData("Elsa.Delay", "timeSpan", "5 minutes", DefinitionProblemCodes.InvalidDuration)]
    [InlineData("Elsa.Delay", "timeSpan", "-00:00:05", DefinitionProblemCodes.InvalidDuration)]
    [InlineData("Elsa.Timer", "interval", "1.00:00:00", null)]
    [InlineData("Elsa.Cron", "cronExpression", "0 0 * * * *", null)]
    [InlineData("Elsa.Cron", "cronExpression", "0 * * * *", DefinitionProblemCodes.InvalidCron)]
    [InlineData("Elsa.StartAt", "dateTime", "2026-11-23T08:00:00+01:00", null)]
    [InlineData("Elsa.StartAt", "dateTime", "next tuesday", DefinitionProblemCodes.InvalidDateTime)]
    public void Validate_LiteralWithSemantics_IsChecked(string type, string input, string literal, string? expectedCode)
    {
        var problems = Validate(Activity("a", type, $$$""" "{{{input}}}":{"typeName":"String","expression":{"type":"Literal","value":"{{{literal}}}"}} """));

        if (expectedCode is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            var problem = Assert.Single(problems);
            Assert.Equal(expectedCode, problem.Code);
            Assert.Equal(input, problem.InputName);
            Assert.Contains($"'{literal}'", problem.Message);
        }
    }

    [Fact]
    public void Validate_SemanticsValidator_IsUsed()
    {
        var validator = new DefinitionValidator(TestRegistry.Create(), new RejectEverything());
        var parsed = Parse(Activity("a", "Elsa.Delay", """ "timeSpan":{"typeName":"TimeSpan","expression":{"type":"Literal","value":"00:00:05"}} """));

        Assert.Equal("rejected duration", Assert.Single(validator.Validate(parsed)).Message.Split(": ")[^1]);
    }

    [Theory]
    [InlineData("return false;", null)]
    [InlineData("getCounter() > 1", null)]
    [InlineData("var x = 1;\nreturn x +;", DefinitionProblemCodes.InvalidJavaScript)]
    [InlineData("return (1;", DefinitionProblemCodes.InvalidJavaScript)]
    public void Validate_JavaScript_IsParsed(string script, string? expectedCode)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(script);
        var problems = Validate(Activity("a", "Elsa.FlowDecision", $$$""" "condition":{"typeName":"Boolean","expression":{"type":"JavaScript","value":{{{json}}}}} """));

        Assert.Equal(expectedCode, problems.SingleOrDefault()?.Code);
    }

    [Fact]
    public void Validate_JavaScriptError_ReportsTheScriptsOwnLine()
    {
        Assert.Contains("line 2", DefinitionValidator.JavaScriptSyntaxError("var x = 1;\nreturn x +;"));
    }

    [Fact]
    public void Validate_UnknownExpressionTypeAndBadObject_AreProblems()
    {
        var problems = Validate(
            Activity("a", "Elsa.WriteLine", """ "text":{"typeName":"String","expression":{"type":"Liquid","value":"{{ x }}"}} """) + "," +
            Activity("b", "Elsa.FlowFork", """ "branches":{"typeName":"String[]","expression":{"type":"Object","value":"[\"A\","}} """) + "," +
            Activity("c", "Elsa.WriteLine", """ "text":{"typeName":"String","expression":{"value":"x"}} """));

        Assert.Collection(problems,
            p => Assert.Equal((DefinitionProblemCodes.UnknownExpressionType, "a", "text"), (p.Code, p.ActivityId, p.InputName)),
            p => Assert.Equal((DefinitionProblemCodes.InvalidObjectExpression, "b", "branches"), (p.Code, p.ActivityId, p.InputName)),
            p => Assert.Equal((DefinitionProblemCodes.UnknownExpressionType, "c", "text"), (p.Code, p.ActivityId, p.InputName)));
    }

    [Fact]
    public void Validate_VariableReferences_AreResolvedByIdInScope()
    {
        var inner = """
            {"id":"n","type":"Elsa.FlowNode","body":{"id":"inner","type":"Elsa.Flowchart",
              "variables":[{"id":"local","name":"l","typeName":"String"}],
              "activities":[{"id":"s2","type":"Elsa.SetVariable","variable":{"id":"local","name":"l","typeName":"String"}}]}}
            """;
        var problems = Validate(
            Activity("s1", "Elsa.SetVariable", """ "variable":{"id":"v1","name":"Counter","typeName":"Int32"} """) + "," +
            Activity("s3", "Elsa.SetVariable", """ "variable":{"id":"local","name":"l","typeName":"String"} """) + "," +
            Activity("w", "Elsa.WriteLine", """ "text":{"typeName":"String","expression":{"type":"Variable","value":{"id":"ghost","name":"Ghost"}}} """) + "," +
            Activity("w2", "Elsa.WriteLine", """ "text":{"typeName":"String","expression":{"type":"Variable","value":"{\"id\":\"v1\"}"}} """) + "," +
            inner,
            variables: """{"id":"v1","name":"Counter","typeName":"Int32","value":"0"}""");

        Assert.Collection(problems,
            p => Assert.Equal((DefinitionProblemCodes.UnknownVariable, "s3", "variable"), (p.Code, p.ActivityId, p.InputName)),
            p =>
            {
                Assert.Equal((DefinitionProblemCodes.UnknownVariable, "w", "text"), (p.Code, p.ActivityId, p.InputName));
                Assert.Contains("'Ghost' (id ghost)", p.Message);
            });
    }

    [Fact]
    public void Validate_RequiredInputs_MustBeSet()
    {
        var problems = Validate(
            Activity("e", "Elsa.Event") + "," +
            Activity("c", "Elsa.Cron", """ "cronExpression":{"typeName":"String","expression":{"type":"Literal","value":"  "}} """) + "," +
            Activity("s", "Elsa.SetVariable") + "," +
            Activity("e2", "Elsa.Event", """ "eventName":{"typeName":"String","expression":{"type":"JavaScript","value":"return 'x';"}} """));

        Assert.Equal(
            [("e", "eventName"), ("c", "cronExpression"), ("s", "variable")],
            problems.Select(p => (p.ActivityId!, p.InputName!)).ToList());
        Assert.All(problems, p => Assert.Equal(DefinitionProblemCodes.MissingRequiredInput, p.Code));
    }

    [Fact]
    public void Validate_EveryMessage_NamesTheActivity()
    {
        var problems = Validate(
            Activity("a1", "Elsa.Delay", """ "name":"Wait", "timeSpan":{"typeName":"TimeSpan","expression":{"type":"Literal","value":"soon"}} """));

        var problem = Assert.Single(problems);
        Assert.StartsWith("Input 'timeSpan' of activity 'Wait' (a1, Elsa.Delay): ", problem.Message);
    }

    private IReadOnlyList<DefinitionProblem> Validate(string activities, string connections = "", string variables = "") =>
        _validator.Validate(Parse(activities, connections, variables));

    private static ParsedDefinition Parse(string activities, string connections = "", string variables = "") =>
        DefinitionJsonReader.Parse($$$"""
            {"definitionId":"d","variables":[{{{variables}}}],
             "root":{"id":"root","type":"Elsa.Flowchart","activities":[{{{activities}}}],"connections":[{{{connections}}}]}}
            """);

    private static string Activity(string id, string type, string extra = "", int version = 1) =>
        $$$"""{"id":"{{{id}}}","type":"{{{type}}}","version":{{{version}}}{{{(extra.Length > 0 ? "," + extra : "")}}}}""";

    private static string Connection(string source, string port, string target) =>
        $$$"""{"source":{"activity":"{{{source}}}","port":"{{{port}}}"},"target":{"activity":"{{{target}}}","port":"In"}}""";

    private sealed class RejectEverything : IInputSemanticsValidator
    {
        public string? ValidateDuration(string text) => "rejected duration";
        public string? ValidateCron(string text) => "rejected cron";
    }
}
