using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exit.Workflows.Definitions;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Exit.Workflows.Expressions;

/// <summary>
/// Runs Elsa JavaScript expressions on Jint 4 (ES2015 and later: arrow functions, let/const, template strings)
/// inside the sandbox of <see cref="JavaScriptOptions"/>. A top-level <c>return</c> is allowed, as in Elsa; otherwise
/// the program's completion value is the result. Variables named in <see cref="ScriptHiddenVariable"/> registrations
/// (a module's own state, e.g. the CTI course) are neither readable nor writable from a script. The globals are Elsa's:
/// <c>get&lt;Name&gt;()</c>/<c>set&lt;Name&gt;(v)</c> per variable, <c>getVariable</c>, <c>setVariable</c>,
/// <c>variables</c>, <c>getWorkflowInstanceId</c>, <c>get/setCorrelationId</c>, <c>isNullOrWhiteSpace</c>,
/// <c>toJson</c>, <c>newGuid</c>, <c>getInput</c>.
/// </summary>
public sealed partial class JavaScriptEvaluator(
    IIdGenerator ids, JavaScriptOptions? options = null, IEnumerable<ScriptHiddenVariable>? hiddenVariables = null)
{
    private readonly JavaScriptOptions _options = options ?? new JavaScriptOptions();
    private readonly HashSet<string> _hidden = (hiddenVariables ?? []).Select(h => h.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    private static readonly ScriptParsingOptions Parsing = new() { AllowReturnOutsideFunction = true };

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();

    public object? Evaluate(string script, Type targetType, IExpressionScope scope)
    {
        var engine = new Engine(o => o
            .TimeoutInterval(_options.Timeout)
            .MaxStatements(_options.MaxStatements)
            .LimitRecursion(_options.MaxRecursion)
            .LimitMemory(_options.MaxMemoryBytes)
            .RegexTimeoutInterval(_options.RegexTimeout)
            .MaxArraySize(_options.MaxArraySize));
        JsValue result;
        try
        {
            var variablesSnapshot = Install(engine, scope, script);
            result = engine.Evaluate(script, Parsing);
            WriteBackVariables(engine, scope, variablesSnapshot);
            return ValueConverter.Convert(ToNode(engine, result), targetType);
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            throw new ExpressionEvaluationException(message, e);
        }
    }

    /// <summary>The incident message: which limit a script hit, or the script's own error. Null for anything else.</summary>
    private string? Describe(Exception e) => e switch
    {
        MemoryLimitExceededException m when m.Message.Contains("array size", StringComparison.OrdinalIgnoreCase) =>
            $"JavaScript exceeded the array size limit ({_options.MaxArraySize} elements).",
        MemoryLimitExceededException => $"JavaScript exceeded the memory limit ({_options.MaxMemoryBytes} bytes).",
        StatementsCountOverflowException => $"JavaScript exceeded the statement limit ({_options.MaxStatements} statements).",
        RecursionDepthOverflowException => $"JavaScript exceeded the recursion limit ({_options.MaxRecursion} nested calls).",
        RegexMatchTimeoutException => $"JavaScript exceeded the regular-expression time limit ({_options.RegexTimeout.TotalMilliseconds:0} ms).",
        TimeoutException => $"JavaScript exceeded the time limit ({_options.Timeout.TotalMilliseconds:0} ms).",
        JavaScriptException js when IsSyntaxError(js) => $"JavaScript syntax error: {js.Message}",
        JavaScriptException js => $"JavaScript error: {js.Message}",
        Acornima.SyntaxErrorException syntax => $"JavaScript syntax error: {syntax.Message}",
        _ => null,
    };

    private static bool IsSyntaxError(JavaScriptException e) =>
        e.Error is Jint.Native.Object.ObjectInstance error && error.Get("name") is var name && name.IsString() && name.AsString() == "SyntaxError";

    /// <summary>
    /// Defines the globals. Only names the script mentions are installed: each costs a delegate wrapper, and
    /// most expressions use one or two of them.
    /// </summary>
    private Dictionary<string, string>? Install(Engine engine, IExpressionScope scope, string script)
    {
        bool Uses(string name) => script.Contains(name, StringComparison.Ordinal);

        var byName = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var v in scope.VisibleVariables)
            if (!IsHidden(v)) byName.TryAdd(v.Name, v); // nearest scope first wins

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
            if (!Identifier().IsMatch(key) || _hidden.Contains(key)) continue;
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
                if (IsHiddenName(name, scope)) throw new ExpressionEvaluationException($"Variable '{name}' cannot be set from a script.");
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

    private bool IsHidden(VariableDefinition v) => _hidden.Contains(v.Name) || _hidden.Contains(v.Id);

    /// <summary>A hidden name, or the name of a hidden variable's id: a script may not declare it over the hidden one.</summary>
    private bool IsHiddenName(string name, IExpressionScope scope) =>
        _hidden.Contains(name) || scope.VisibleVariables.Any(v => IsHidden(v) && string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A GUID from the injected id generator when its ids are GUIDs (the runtime's default), else a fresh one.</summary>
    private string NewGuid() =>
        (Guid.TryParse(ids.NewId(), out var g) ? g : Guid.CreateVersion7()).ToString("D");

    private void WriteBackVariables(Engine engine, IExpressionScope scope, Dictionary<string, string>? snapshot)
    {
        if (snapshot is null) return;
        var after = ToNode(engine, engine.GetValue("variables")) as JsonObject;
        if (after is null) return;
        var byName = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var v in scope.VisibleVariables) if (!IsHidden(v)) byName.TryAdd(v.Name, v);
        foreach (var (name, node) in after)
        {
            var text = node?.ToJsonString() ?? "null";
            if (snapshot.TryGetValue(name, out var before) && before == text) continue;
            if (IsHiddenName(name, scope)) throw new ExpressionEvaluationException($"Variable '{name}' cannot be set from a script.");
            if (!byName.TryGetValue(name, out var variable)) variable = scope.DeclareVariable(name);
            scope.SetVariableValue(variable, node?.DeepClone());
        }
    }

    private static JsValue FromNode(Engine engine, JsonNode? node) =>
        node is null ? JsValue.Null : ParseJson(engine, node.ToJsonString());

    private static JsValue ParseJson(Engine engine, string json) => new JsonParser(engine).Parse(json);

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
        var json = new Jint.Native.Json.JsonSerializer(engine).Serialize(value);
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
