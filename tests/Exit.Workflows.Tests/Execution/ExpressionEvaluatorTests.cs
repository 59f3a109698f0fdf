using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Xunit;

namespace Exit.Workflows.Tests.Execution;

public sealed class ExpressionEvaluatorTests
{
    private sealed class Scope : IExpressionScope
    {
        public string WorkflowInstanceId => "instance-1";
        public string? CorrelationId { get; set; } = "corr-1";
        public JsonObject WorkflowInput { get; } = new() { ["name"] = "Ada" };
        public List<VariableDefinition> Variables { get; } =
        [
            new("v-counter", "Counter", "Int32", false, "0", null),
            new("v-my", "my_number", "Double", false, null, null),
            new("v-tags", "tags", "String", true, null, null),
        ];
        public Dictionary<string, JsonNode?> Values { get; } = new() { ["v-counter"] = 2 };
        public IReadOnlyList<VariableDefinition> VisibleVariables => Variables;
        public JsonNode? GetVariableValue(VariableDefinition variable) => Values.GetValueOrDefault(variable.Id);

        public void SetVariableValue(VariableDefinition variable, object? value) =>
            Values[variable.Id] = ValueConverter.ToJson(ValueConverter.Convert(value, VariableTypes.Resolve(variable)!));

        public VariableDefinition DeclareVariable(string name)
        {
            var v = new VariableDefinition(name, name, "Object", false, null, null);
            Variables.Add(v);
            return v;
        }
    }

    private enum Color { Red, Green }

    private static readonly IExpressionEvaluator Evaluator =
        new ExpressionEvaluator(new JavaScriptEvaluator(new CountingIdGenerator(), new JavaScriptOptions { Timeout = TimeSpan.FromSeconds(1), MaxStatements = 10_000 }));

    private static object? Eval(string type, JsonNode? value, Type target, Scope? scope = null) =>
        Evaluator.Evaluate(new InputValue(type, value, null), target, scope ?? new Scope());

    private static object? Js(string script, Type target, Scope? scope = null) => Eval(InputValue.JavaScript, script, target, scope);

    [Theory]
    [InlineData("True", typeof(bool), true)]
    [InlineData("false", typeof(bool), false)]
    [InlineData("red", typeof(Color), Color.Red)]
    [InlineData("42", typeof(int), 42)]
    [InlineData("maybe", typeof(bool), false)]
    [InlineData("  ", typeof(int), 0)]
    public void Literal_ConvertsLikeElsa(string text, Type target, object expected) =>
        Assert.Equal(expected, Eval(InputValue.Literal, text, target) ?? Activator.CreateInstance(target));

    [Fact]
    public void Literal_TimeSpan_PlainNumberIsDaysAndIsoIsAccepted()
    {
        Assert.Equal(TimeSpan.FromDays(5), Eval(InputValue.Literal, "5", typeof(TimeSpan)));
        Assert.Equal(TimeSpan.FromSeconds(5), Eval(InputValue.Literal, "00:00:05", typeof(TimeSpan)));
        Assert.Equal(TimeSpan.FromMinutes(5), Eval(InputValue.Literal, "PT5M", typeof(TimeSpan)));
    }

    [Fact]
    public void Literal_StringForStringArray_IsOneElement_AndJsonTextIsDeserialized()
    {
        Assert.Equal(["A"], (string[])Eval(InputValue.Literal, "A", typeof(string[]))!);
        Assert.Equal(["A", "B"], (string[])Eval(InputValue.Literal, """["A","B"]""", typeof(string[]))!);
        Assert.Null(Eval(InputValue.Literal, "", typeof(string[])));
    }

    [Fact]
    public void Literal_DateTimeOffset_Parses() =>
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(1)),
            Eval(InputValue.Literal, "2026-03-01T08:00:00+01:00", typeof(DateTimeOffset)));

    [Fact]
    public void Object_JsonToTarget_AndRawStringForObjectTarget()
    {
        Assert.Equal(["A", "B"], (string[])Eval(InputValue.Object, """["A","B"]""", typeof(string[]))!);
        Assert.Equal("""["A"]""", Eval(InputValue.Object, """["A"]""", typeof(object)));
        Assert.Null(Eval(InputValue.Object, "", typeof(string[])));
    }

    [Fact]
    public void Variable_ByIdAsObjectOrJsonString()
    {
        Assert.Equal(2, Eval(InputValue.Variable, new JsonObject { ["id"] = "v-counter", ["name"] = "ignored" }, typeof(int)));
        Assert.Equal("2", Eval(InputValue.Variable, """{"id":"v-counter"}""", typeof(string)));
    }

    [Fact]
    public void JavaScript_TopLevelReturnAndCompletionValueBothWork()
    {
        Assert.Equal(false, Js("return false;", typeof(bool)));
        Assert.Equal(true, Js("getCounter() > 1", typeof(bool)));
        Assert.Equal(true, Js("if (getCounter() > 1) { return true; } return false;", typeof(bool)));
    }

    [Fact]
    public void JavaScript_SettersConvertToTheDeclaredType()
    {
        var scope = new Scope();
        Js("setCounter(getCounter() + 1); setMyNumber(1.5); setVariable('tags', ['a','b']);", typeof(object), scope);

        Assert.Equal(3, scope.Values["v-counter"]!.GetValue<int>());
        Assert.Equal(1.5, scope.Values["v-my"]!.GetValue<double>());
        Assert.Equal("""["a","b"]""", scope.Values["v-tags"]!.ToJsonString());
    }

    [Fact]
    public void JavaScript_VariablesObjectIsWrittenBack_AndSetVariableCreatesUnknownNames()
    {
        var scope = new Scope();
        Js("variables.Counter = 10; setVariable('fresh', 'x');", typeof(object), scope);

        Assert.Equal(10, scope.Values["v-counter"]!.GetValue<int>());
        Assert.Equal("x", scope.Values["fresh"]!.GetValue<string>());
    }

    [Fact]
    public void JavaScript_Globals()
    {
        var scope = new Scope();
        Assert.Equal("instance-1", Js("getWorkflowInstanceId()", typeof(string), scope));
        Assert.Equal("corr-1", Js("getCorrelationId()", typeof(string), scope));
        Js("setCorrelationId('corr-2')", typeof(object), scope);
        Assert.Equal("corr-2", scope.CorrelationId);
        Assert.Equal("Ada", Js("getInput('name')", typeof(string), scope));
        Assert.Equal("Ada", Js("getName()", typeof(string), scope));
        Assert.Equal(true, Js("isNullOrWhiteSpace('  ')", typeof(bool), scope));
        Assert.Equal("""{"a":1}""", Js("toJson({a:1})", typeof(string), scope));
        Assert.Equal(36, ((string)Js("newGuid()", typeof(string), scope)!).Length);
    }

    [Fact]
    public void JavaScript_NumberToInt_AndObjectResultToJson()
    {
        Assert.Equal(7, Js("3 + 4", typeof(int)));
        var node = Js("({ name: 'x', n: [1,2] })", typeof(JsonNode)) as JsonObject;
        Assert.Equal("x", node!["name"]!.GetValue<string>());
        Assert.Equal("""{"name":"x"}""", Js("({ name: 'x' })", typeof(string)));
    }

    [Fact]
    public void JavaScript_ThrownErrorOrUnknownFunction_Throws()
    {
        Assert.Throws<ExpressionEvaluationException>(() => Js("throw new Error('bad')", typeof(object)));
        Assert.Throws<ExpressionEvaluationException>(() => Js("getNothing()", typeof(object)));
        Assert.Throws<ExpressionEvaluationException>(() => Js("return (", typeof(object)));
    }

    [Fact]
    public void JavaScript_RunawayScript_IsStoppedByTheLimits() =>
        Assert.Throws<ExpressionEvaluationException>(() => Js("while (true) {}", typeof(object)));
}
