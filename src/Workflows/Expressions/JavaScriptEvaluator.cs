using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Workflows.Definitions;
using Jint;
using Jint.Native;
using Jint.Parser;
using Jint.Runtime;

namespace Exit.Workflows.Expressions;

/// <summary>Limits that keep a runaway script from holding the engine.</summary>
public sealed class JavaScriptOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
    public int MaxStatements { get; set; } = 100_000;
    public int MaxRecursion { get; set; } = 256;
}

/// <summary>
/// Runs Elsa JavaScript expressions on Jint (ES5.1). A script with a top-level <c>return</c> runs as a function
/// body; anything else runs as a program whose completion value is the result. The globals are Elsa's:
/// <c>get&lt;Name&gt;()</c>/<c>set&lt;Name&gt;(v)</c> per variable, <c>getVariable</c>, <c>setVariable</c>,
/// <c>variables</c>, <c>getWorkflowInstanceId</c>, <c>get/setCorrelationId</c>, <c>isNullOrWhiteSpace</c>,
/// <c>toJson</c>, <c>newGuid</c>, <c>getInput</c>.
/// </summary>
public sealed partial class JavaScriptEvaluator(IIdGenerator ids, JavaScriptOptions? options = null)
{
    private readonly JavaScriptOptions _options = options ?? new JavaScriptOptions();

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();

    public object? Evaluate(string script, Type targetType, IExpressionScope scope)
    {
        var engine = new Engine(o => o
            .TimeoutInterval(_options.Timeout)
            .MaxStatements(_options.MaxStatements)
            .LimitRecursion(_options.MaxRecursion));
        var variablesSnapshot = Install(engine, scope, script);

        JsValue result;
        try
        {
            try
            {
                result = engine.Execute(script).GetCompletionValue();
            }
            catch (ParserException e) when (e.Message.Contains("Illegal return", StringComparison.OrdinalIgnoreCase))
            {
                // Elsa parses with return-outside-function allowed: run the script as a function body.
                result = engine.Execute("(function(){\n" + script + "\n})()").GetCompletionValue();
            }
            WriteBackVariables(engine, scope, variablesSnapshot);
        }
        catch (ParserException e)
        {
            throw new ExpressionEvaluationException($"JavaScript syntax error: {e.Message}", e);
        }
        catch (JavaScriptException e)
        {
            throw new ExpressionEvaluationException($"JavaScript error: {e.Message}", e);
        }
        catch (StatementsCountOverflowException e)
        {
            throw new ExpressionEvaluationException("JavaScript exceeded the statement limit.", e);
        }
        catch (RecursionDepthOverflowException e)
        {
            throw new ExpressionEvaluationException("JavaScript exceeded the recursion limit.", e);
        }
        catch (TimeoutException e)
        {
            throw new ExpressionEvaluationException("JavaScript exceeded the time limit.", e);
        }
        return ValueConverter.Convert(ToNode(engine, result), targetType);
    }

    /// <summary>
    /// Defines the globals. Only names the script mentions are installed: each costs a delegate wrapper, and
    /// most expressions use one or two of them.
    /// </summary>
    private Dictionary<string, string>? Install(Engine engine, IExpressionScope scope, string script)
    {
        bool Uses(string name) => script.Contains(name, StringComparison.Ordinal);

        var byName = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var v in scope.VisibleVariables)
            byName.TryAdd(v.Name, v); // nearest scope first wins

        foreach (var (name, variable) in byName)
        {
            if (!Identifier().IsMatch(name)) continue;
            var pascal = Pascalize(name);
            var v = variable;
            if (Uses("get" + pascal)) engine.SetValue("get" + pascal, new Func<JsValue>(() => FromNode(engine, scope.GetVariableValue(v))));
            if (Uses("set" + pascal)) engine.SetValue("set" + pascal, new Action<JsValue>(value => scope.SetVariableValue(v, ToNode(engine, value))));
        }

        foreach (var (key, _) in scope.WorkflowInput)
        {
            if (!Identifier().IsMatch(key)) continue;
            var getter = "get" + Pascalize(key);
            if (!Uses(getter) || byName.Keys.Any(n => "get" + Pascalize(n) == getter)) continue;
            var k = key;
            engine.SetValue(getter, new Func<JsValue>(() => FromNode(engine, scope.WorkflowInput[k])));
        }

        if (Uses("getVariable")) engine.SetValue("getVariable", new Func<string, JsValue>(name =>
            byName.TryGetValue(name, out var v) ? FromNode(engine, scope.GetVariableValue(v)) : JsValue.Undefined));
        if (Uses("setVariable")) engine.SetValue("setVariable", new Action<string, JsValue>((name, value) =>
        {
            if (!byName.TryGetValue(name, out var v))
            {
                v = scope.DeclareVariable(name);
                byName[name] = v;
            }
            scope.SetVariableValue(v, ToNode(engine, value));
        }));
        if (Uses("getInput")) engine.SetValue("getInput", new Func<string, JsValue>(name =>
            scope.WorkflowInput.TryGetPropertyValue(name, out var n) ? FromNode(engine, n) : JsValue.Undefined));
        if (Uses("getWorkflowInstanceId")) engine.SetValue("getWorkflowInstanceId", new Func<string>(() => scope.WorkflowInstanceId));
        if (Uses("getCorrelationId")) engine.SetValue("getCorrelationId", new Func<string?>(() => scope.CorrelationId));
        if (Uses("setCorrelationId")) engine.SetValue("setCorrelationId", new Action<string?>(value => scope.CorrelationId = value));
        if (Uses("isNullOrWhiteSpace")) engine.SetValue("isNullOrWhiteSpace", new Func<JsValue, bool>(value =>
            value.IsNull() || value.IsUndefined() || (value.IsString() && string.IsNullOrWhiteSpace(value.AsString()))));
        if (Uses("toJson")) engine.SetValue("toJson", new Func<JsValue, string?>(value => ToNode(engine, value)?.ToJsonString() ?? "null"));
        if (Uses("newGuid")) engine.SetValue("newGuid", new Func<string>(NewGuid));

        // `variables.X`: a copy, written back after the script runs.
        if (!Uses("variables")) return null;
        var copy = new JsonObject();
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, variable) in byName)
        {
            var value = scope.GetVariableValue(variable);
            copy[name] = value?.DeepClone();
            snapshot[name] = value?.ToJsonString() ?? "null";
        }
        engine.SetValue("variables", ParseJson(engine, copy.ToJsonString()));
        return snapshot;
    }

    /// <summary>A GUID from the injected id generator when its ids are GUIDs (the runtime's default), else a fresh one.</summary>
    private string NewGuid() =>
        (Guid.TryParse(ids.NewId(), out var g) ? g : Guid.CreateVersion7()).ToString("D");

    private static void WriteBackVariables(Engine engine, IExpressionScope scope, Dictionary<string, string>? snapshot)
    {
        if (snapshot is null) return;
        var after = ToNode(engine, engine.GetValue("variables")) as JsonObject;
        if (after is null) return;
        var byName = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var v in scope.VisibleVariables) byName.TryAdd(v.Name, v);
        foreach (var (name, node) in after)
        {
            var text = node?.ToJsonString() ?? "null";
            if (snapshot.TryGetValue(name, out var before) && before == text) continue;
            if (!byName.TryGetValue(name, out var variable)) variable = scope.DeclareVariable(name);
            scope.SetVariableValue(variable, node?.DeepClone());
        }
    }

    private static JsValue FromNode(Engine engine, JsonNode? node) =>
        node is null ? JsValue.Null : ParseJson(engine, node.ToJsonString());

    private static JsValue ParseJson(Engine engine, string json) =>
        engine.Json.Parse(JsValue.Undefined, [new JsValue(json)]);

    /// <summary>A script value as JSON (numbers, strings, booleans, objects, arrays; undefined is null).</summary>
    private static JsonNode? ToNode(Engine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        if (value.IsString()) return JsonValue.Create(value.AsString());
        if (value.IsBoolean()) return JsonValue.Create(value.AsBoolean());
        if (value.IsNumber())
        {
            var d = value.AsNumber();
            if (double.IsNaN(d) || double.IsInfinity(d)) return null;
            return d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);
        }
        var json = engine.Json.Stringify(JsValue.Undefined, [value]);
        if (json.IsUndefined() || json.IsNull()) return null;
        try
        {
            return JsonNode.Parse(json.AsString());
        }
        catch (JsonException)
        {
            return JsonValue.Create(json.AsString());
        }
    }

    /// <summary>Humanizer's Pascalize: capitalise the first letter and every letter after an underscore or space.</summary>
    public static string Pascalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is '_' or ' ') { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }
}
