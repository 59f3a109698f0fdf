using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Execution;

namespace Exit.Workflows.Definitions;

/// <summary>
/// Checks a definition against the activity registry before it is published: activity types and versions,
/// connections and ports, variables, and every declared input's expression. Returns every problem found;
/// an empty list means the definition may be published.
/// </summary>
public sealed class DefinitionValidator
{
    private readonly ActivityRegistry _registry;
    private readonly IInputSemanticsValidator _semantics;
    private readonly IReadOnlySet<string> _expressionTypes;
    private readonly IReadOnlyList<IInputValueRule> _valueRules;

    /// <param name="registry">The activity catalogue.</param>
    /// <param name="semantics">Duration and cron checks; <see cref="DefaultInputSemanticsValidator"/> when null.</param>
    /// <param name="expressionTypes">The expression types the engine evaluates; <see cref="ExpressionTypes.Supported"/> when null.</param>
    /// <param name="valueRules">The application's checks on literal input values (<see cref="IInputValueRule"/>); none when null.</param>
    public DefinitionValidator(ActivityRegistry registry, IInputSemanticsValidator? semantics = null, IReadOnlySet<string>? expressionTypes = null,
        IEnumerable<IInputValueRule>? valueRules = null)
    {
        _registry = registry;
        _semantics = semantics ?? DefaultInputSemanticsValidator.Instance;
        _expressionTypes = expressionTypes ?? ExpressionTypes.Supported;
        _valueRules = valueRules?.ToList() ?? [];
    }

    /// <summary>The reader's structural problems followed by the registry and expression checks.</summary>
    public IReadOnlyList<DefinitionProblem> Validate(ParsedDefinition definition)
    {
        var problems = new List<DefinitionProblem>(definition.Problems);
        problems.AddRange(CheckSemantics(definition.Graph));
        return problems;
    }

    /// <summary>Structural checks (duplicate ids, dangling connections, variables) and the registry and expression checks.</summary>
    public IReadOnlyList<DefinitionProblem> Validate(WorkflowGraph graph)
    {
        var problems = GraphChecks.Structural(graph);
        problems.AddRange(CheckSemantics(graph));
        return problems;
    }

    private List<DefinitionProblem> CheckSemantics(WorkflowGraph graph)
    {
        var problems = new List<DefinitionProblem>();
        CheckVariableTypes(graph.Variables, "the workflow", null, problems);
        var visible = graph.Variables.Where(v => v.Id.Length > 0).Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        Visit(graph.Root, visible, problems);
        return problems;
    }

    private void Visit(ActivityNode node, HashSet<string> visible, List<DefinitionProblem> problems)
    {
        if (node.Variables.Count > 0)
        {
            CheckVariableTypes(node.Variables, GraphChecks.Describe(node), node.Id, problems);
            visible = new HashSet<string>(visible, StringComparer.Ordinal);
            visible.UnionWith(node.Variables.Where(v => v.Id.Length > 0).Select(v => v.Id));
        }

        CheckActivity(node, visible, problems);
        CheckPorts(node, problems);
        foreach (var child in node.Activities) Visit(child, visible, problems);
        if (node.Body is not null) Visit(node.Body, visible, problems);
    }

    private void CheckActivity(ActivityNode node, HashSet<string> visible, List<DefinitionProblem> problems)
    {
        if (node.Type.Length == 0) return; // reported by the reader
        var who = GraphChecks.Describe(node);

        if (node.Type == WellKnownTypes.NotFound)
        {
            var missing = node.Inputs.TryGetValue("missingTypeName", out var m) ? m.Text : null;
            var missingVersion = node.Inputs.TryGetValue("missingTypeVersion", out var mv) ? mv.Text : null;
            problems.Add(new DefinitionProblem(node.Id, null, DefinitionProblemCodes.MissingActivity,
                $"The {who} stands in for the activity type '{missing ?? "?"}' version {missingVersion ?? "?"}, which is not registered; register that type or remove the activity."));
            return;
        }

        var descriptor = _registry.Find(node.Type, node.Version);
        if (descriptor is null)
        {
            var versions = _registry.All.Where(d => d.TypeName == node.Type).Select(d => d.Version).Order().ToList();
            problems.Add(versions.Count > 0
                ? new DefinitionProblem(node.Id, null, DefinitionProblemCodes.UnknownActivityVersion,
                    $"The {who} uses version {node.Version} of '{node.Type}', which is not registered; registered versions: {string.Join(", ", versions)}.")
                : new DefinitionProblem(node.Id, null, DefinitionProblemCodes.UnknownActivityType,
                    $"The {who} has the type '{node.Type}' (version {node.Version}), which is not a registered activity type."));
            return;
        }

        foreach (var input in descriptor.Inputs)
        {
            var (key, value) = FindInput(node, input.JsonName);
            if (!input.IsWrapped)
            {
                CheckUnwrapped(node, key, value, input, visible, problems);
                continue;
            }
            if (value is null || !value.HasExpression())
            {
                if (value is not null && node.Raw[key]?["expression"] is JsonObject)
                    problems.Add(Problem(node, key, DefinitionProblemCodes.UnknownExpressionType,
                        $"the expression has no type; use one of {string.Join(", ", _expressionTypes.Order())}."));
                else if (IsMissingRequired(input))
                    problems.Add(MissingRequired(node, key, input));
                continue;
            }
            CheckExpression(node, key, value, input, visible, problems);
        }
    }

    private void CheckExpression(ActivityNode node, string key, InputValue value, InputDescriptor input, HashSet<string> visible, List<DefinitionProblem> problems)
    {
        var text = value.Text;
        switch (value.ExpressionType)
        {
            case InputValue.Literal:
                if (string.IsNullOrWhiteSpace(text))
                {
                    if (IsMissingRequired(input)) problems.Add(MissingRequired(node, key, input));
                    return;
                }
                var error = input.Semantics switch
                {
                    InputSemantics.Duration => _semantics.ValidateDuration(text),
                    InputSemantics.Cron => _semantics.ValidateCron(text),
                    InputSemantics.DateTime => ValidateDateTime(text),
                    _ => null,
                };
                if (error is not null)
                {
                    var code = input.Semantics switch
                    {
                        InputSemantics.Duration => DefinitionProblemCodes.InvalidDuration,
                        InputSemantics.Cron => DefinitionProblemCodes.InvalidCron,
                        _ => DefinitionProblemCodes.InvalidDateTime,
                    };
                    problems.Add(Problem(node, key, code, error));
                }

                foreach (var rule in _valueRules)
                {
                    if (rule.ActivityType == node.Type && string.Equals(rule.InputName, input.JsonName, StringComparison.OrdinalIgnoreCase)
                        && rule.Check(text) is { } refused)
                        problems.Add(Problem(node, key, DefinitionProblemCodes.ValueNotAllowed, refused));
                }
                return;

            case InputValue.Object:
                if (value.Value is JsonValue && !string.IsNullOrWhiteSpace(text) && ParseJsonError(text) is { } jsonError)
                    problems.Add(Problem(node, key, DefinitionProblemCodes.InvalidObjectExpression, $"the Object expression is not valid JSON: {jsonError}"));
                return;

            case InputValue.Variable:
                CheckVariableReference(node, key, value.Value, visible, problems);
                return;

            case InputValue.JavaScript:
                if (string.IsNullOrWhiteSpace(text))
                {
                    if (IsMissingRequired(input)) problems.Add(MissingRequired(node, key, input));
                    return;
                }
                if (JavaScriptSyntaxError(text) is { } jsError)
                    problems.Add(Problem(node, key, DefinitionProblemCodes.InvalidJavaScript, $"the JavaScript does not parse: {jsError}"));
                return;
        }

        if (!_expressionTypes.Contains(value.ExpressionType))
        {
            problems.Add(Problem(node, key, DefinitionProblemCodes.UnknownExpressionType,
                $"the expression type '{value.ExpressionType}' is not supported; use one of {string.Join(", ", _expressionTypes.Order())}."));
        }
    }

    /// <summary>An input written as a plain object, not a wrapper; SetVariable's variable reference is the one Exit knows.</summary>
    private static void CheckUnwrapped(ActivityNode node, string key, InputValue? value, InputDescriptor input, HashSet<string> visible, List<DefinitionProblem> problems)
    {
        if (value is null)
        {
            if (IsMissingRequired(input)) problems.Add(MissingRequired(node, key, input));
            return;
        }
        if (IsVariableReference(input))
            CheckVariableReference(node, key, value.Value, visible, problems);
    }

    private static bool IsVariableReference(InputDescriptor input) =>
        input.ClrType == typeof(VariableDefinition) || string.Equals(input.TypeName, "Variable", StringComparison.Ordinal);

    private static void CheckVariableReference(ActivityNode node, string key, JsonNode? reference, HashSet<string> visible, List<DefinitionProblem> problems)
    {
        var id = VariableIdOf(reference);
        if (id is null)
        {
            problems.Add(Problem(node, key, DefinitionProblemCodes.UnknownVariable, "no variable is selected (the reference has no variable id)."));
            return;
        }
        if (!visible.Contains(id))
        {
            var name = reference is JsonObject o ? DefinitionJsonReader.StringOf(o, "name") : null;
            problems.Add(Problem(node, key, DefinitionProblemCodes.UnknownVariable,
                $"the variable '{name ?? id}' (id {id}) is not declared by the workflow or an enclosing flowchart."));
        }
    }

    /// <summary>A variable reference is an object with <c>id</c>, JSON text of one, or (leniently) the bare id.</summary>
    private static string? VariableIdOf(JsonNode? reference)
    {
        switch (reference)
        {
            case JsonObject o:
                return DefinitionJsonReader.StringOf(o, "id") ?? DefinitionJsonReader.StringOf(o, "Id");
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
            {
                var text = v.GetValue<string>().Trim();
                if (text.Length == 0) return null;
                if (!text.StartsWith('{')) return text;
                try
                {
                    return DefinitionJsonReader.ParseNode(text) is JsonObject parsed ? VariableIdOf(parsed) : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            }
            default:
                return null;
        }
    }

    private void CheckPorts(ActivityNode container, List<DefinitionProblem> problems)
    {
        if (container.Connections.Count == 0) return;
        var children = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var child in container.Activities) children.TryAdd(child.Id, child);

        foreach (var c in container.Connections)
        {
            if (!children.TryGetValue(c.SourceId, out var source) || source.Type == WellKnownTypes.NotFound) continue;
            var descriptor = _registry.Find(source.Type, source.Version);
            // Elsa ignores connections from ports an activity does not have; Exit flags them only when the
            // ports are fixed, since dynamic ports (FlowFork branches, task outcomes) may change at design time.
            if (descriptor is null || descriptor.DynamicPorts is not null || descriptor.Ports.Count == 0) continue;
            if (descriptor.Ports.Contains(c.Outcome, StringComparer.Ordinal)) continue;
            problems.Add(new DefinitionProblem(source.Id, null, DefinitionProblemCodes.UnknownPort,
                $"The connection {c.SourceId}:{c.Outcome} → {c.TargetId} in {GraphChecks.Describe(container)} leaves the {GraphChecks.Describe(source)} " +
                $"from the port '{c.Outcome}', which it does not have; its ports are {string.Join(", ", descriptor.Ports)}."));
        }
    }

    private static void CheckVariableTypes(IReadOnlyList<VariableDefinition> variables, string scope, string? activityId, List<DefinitionProblem> problems)
    {
        foreach (var v in variables)
        {
            if (VariableTypeNames.IsResolvable(v.TypeName)) continue;
            problems.Add(new DefinitionProblem(activityId, v.Name, DefinitionProblemCodes.UnknownVariableType,
                $"Variable '{v.Name}' (id {v.Id}) of {scope} has the type '{v.TypeName}', which cannot be resolved; use an alias such as String, Int32, Boolean, Object, TimeSpan or DateTimeOffset."));
        }
    }

    private static (string Key, InputValue? Value) FindInput(ActivityNode node, string jsonName)
    {
        if (node.Inputs.TryGetValue(jsonName, out var exact)) return (jsonName, exact);
        foreach (var (key, value) in node.Inputs)
        {
            if (string.Equals(key, jsonName, StringComparison.OrdinalIgnoreCase)) return (key, value);
        }
        return (jsonName, null);
    }

    private static bool IsMissingRequired(InputDescriptor input) => input.IsRequired && input.DefaultValue is null;

    private static DefinitionProblem MissingRequired(ActivityNode node, string key, InputDescriptor input) =>
        Problem(node, key, DefinitionProblemCodes.MissingRequiredInput, $"a value is required ({input.DisplayName ?? input.Name}).");

    private static DefinitionProblem Problem(ActivityNode node, string key, string code, string detail) =>
        new(node.Id, key, code, $"Input '{key}' of {GraphChecks.Describe(node)}: {detail}");

    private static string? ValidateDateTime(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            ? null
            : $"'{text}' is not a date and time; write ISO 8601, e.g. 2026-11-23T08:00:00+01:00.";

    private static string? ParseJsonError(string text)
    {
        try
        {
            DefinitionJsonReader.ParseNode(text);
            return null;
        }
        catch (JsonException ex)
        {
            return DefinitionFormatException.Describe(ex);
        }
    }

    /// <summary>
    /// Parses the script with Acornima, the parser Jint runs (ES2015 and later). Elsa allows a top-level
    /// <c>return</c>, and so does the engine (<c>AllowReturnOutsideFunction</c>).
    /// </summary>
    internal static string? JavaScriptSyntaxError(string script)
    {
        try
        {
            new Acornima.Parser(new Acornima.ParserOptions { AllowReturnOutsideFunction = true }).ParseScript(script);
            return null;
        }
        catch (Acornima.SyntaxErrorException ex)
        {
            var description = System.Text.RegularExpressions.Regex.Replace(ex.Message, @"\s*\(\d+:\d+\)$", "");
            return $"{description} (line {ex.LineNumber}, column {ex.Column}).";
        }
    }
}
