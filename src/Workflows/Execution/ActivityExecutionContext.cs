using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <summary>
/// The context one activity runs in. Inputs are evaluated once and recorded in the instance's activity state
/// under their PascalCase name; it is also the expression scope (variables visible from the node).
/// </summary>
internal sealed class ActivityExecutionContext : IActivityExecutionContext, IExpressionScope
{
    private readonly WorkflowExecution _execution;
    private readonly ActivityInstance _instance;
    private readonly ActivityDescriptor? _descriptor;
    private readonly Dictionary<string, (Type Type, object? Value)> _evaluated = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A resume left the declared inputs unevaluated (<see cref="ResumedInputs"/>); the first input asked for evaluates them all.</summary>
    private bool _inputsDeferred;

    public ActivityExecutionContext(WorkflowExecution execution, ActivityNode node, ActivityInstance instance, ActivityDescriptor? descriptor)
    {
        _execution = execution;
        Node = node;
        _instance = instance;
        _descriptor = descriptor;
    }

    public ActivityNode Node { get; }
    public string WorkflowInstanceId => _execution.Instance.Id;
    public string DefinitionId => _execution.Instance.DefinitionId;
    public string ActivityInstanceId => _instance.Id;
    public DateTimeOffset Now => _execution.Now;
    public TimeZoneInfo TimeZone => _execution.TimeZone;
    public IServiceProvider Services => _execution.Services;
    public JsonObject Properties => _instance.Properties ??= new JsonObject();

    public string? CorrelationId
    {
        get => _execution.Instance.CorrelationId;
        set => _execution.Instance.CorrelationId = value;
    }

    string? IActivityExecutionContext.CorrelationId => CorrelationId;

    public JsonObject WorkflowInput => _execution.Instance.Input;

    public IReadOnlyList<VariableDefinition> VisibleVariables => _execution.VisibleVariables(Node);

    /// <summary>Evaluates every declared input before the activity runs, as Elsa does.</summary>
    public void EvaluateDeclaredInputs()
    {
        if (_descriptor is null) return;
        foreach (var input in _descriptor.Inputs)
            GetInput(input.Name, input.ClrType);
    }

    /// <summary>
    /// On resume: evaluates every declared input, unless the stored document kept only the hash of the inputs as journaled
    /// and they are literals known to evaluate to that hash (<see cref="ResumedInputs"/>). Then the state stays as loaded
    /// (left out, vouched for by the hash) and the journal rows say "same state as before", as they would after evaluating;
    /// an activity that asks for an input gets them all evaluated first.
    /// </summary>
    public void EvaluateDeclaredInputsOnResume()
    {
        var leftOut = _instance.ActivityState is null ? _instance.JournaledStateHash : null;
        if (leftOut is not null && ResumedInputs.Vouch(Node, _descriptor, leftOut))
        {
            _inputsDeferred = true;
            return;
        }
        EvaluateDeclaredInputs();
        // The state is exactly this evaluation (nothing was loaded): its hash stands for the node's literal inputs.
        if (leftOut is not null && _instance.ActivityState is { } state)
            ResumedInputs.Remember(Node, _descriptor, _execution.Evaluator, state);
    }

    public T? GetInput<T>(string name) => (T?)GetInput(name, typeof(T));

    public object? GetInput(string name, Type type)
    {
        if (_inputsDeferred)
        {
            _inputsDeferred = false;
            EvaluateDeclaredInputs();
        }
        if (_evaluated.TryGetValue(name, out var cached))
            return cached.Type == type ? cached.Value : ValueConverter.Convert(cached.Value, type);

        var pascal = char.ToUpperInvariant(name[0]) + name[1..];
        var declared = _descriptor?.Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
        object? value;
        var input = FindInput(name);
        if (input is not null)
        {
            value = _execution.Evaluator.Evaluate(input, type, this);
            if (value is null && declared?.DefaultValue is not null && !IsExpressionWithResult(input))
                value = ValueConverter.Convert(declared.DefaultValue, type);
        }
        else
        {
            value = declared?.DefaultValue is { } d ? ValueConverter.Convert(d, type) : ValueConverter.DefaultOf(type);
        }
        _evaluated[name] = (type, value);
        var state = _instance.ActivityState ??= new JsonObject();
        state[pascal] = ToStateValue(value);
        return value;
    }

    private static bool IsExpressionWithResult(InputValue input) => input.ExpressionType is InputValue.JavaScript or InputValue.Variable;

    private static JsonNode? ToStateValue(object? value) => value switch
    {
        null => null,
        TimeSpan ts => JsonValue.Create(ts.ToString("c")),
        _ => ValueConverter.ToJson(value),
    };

    public bool HasInput(string name) => FindInput(name) is not null;

    private InputValue? FindInput(string name) => FindInput(Node, name);

    internal static InputValue? FindInput(ActivityNode node, string name)
    {
        if (node.Inputs.TryGetValue(name, out var v)) return v;
        var camel = char.ToLowerInvariant(name[0]) + name[1..];
        if (node.Inputs.TryGetValue(camel, out v)) return v;
        foreach (var (key, value) in node.Inputs)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    public JsonNode? GetVariable(string idOrName)
    {
        var visible = VisibleVariables;
        var v = visible.FirstOrDefault(x => x.Id == idOrName) ?? visible.FirstOrDefault(x => x.Name == idOrName);
        return v is null ? null : GetVariableValue(v);
    }

    public void SetVariable(string id, object? value)
    {
        var v = VisibleVariables.FirstOrDefault(x => x.Id == id)
                ?? throw new InvalidOperationException($"Variable '{id}' not found.");
        SetVariableValue(v, value);
    }

    public JsonNode? GetVariableValue(VariableDefinition variable) => _execution.GetVariableValue(variable);

    public void SetVariableValue(VariableDefinition variable, object? value) => _execution.SetVariableValue(variable, value);

    public VariableDefinition DeclareVariable(string name) => _execution.DeclareDynamicVariable(name);

    public void SetOutput(string name, object? value)
    {
        // An output bound to a variable: {"typeName":…,"memoryReference":{"id":"<variable id>"}}.
        var camel = char.ToLowerInvariant(name[0]) + name[1..];
        var binding = Node.Raw[camel] as JsonObject;
        var target = (binding?["memoryReference"] as JsonObject)?["id"]?.GetValue<string>();
        if (target is null) return;
        var variable = VisibleVariables.FirstOrDefault(v => v.Id == target);
        if (variable is not null) SetVariableValue(variable, value);
    }

    public void Log(string message) => _execution.AddActivityMessage(_instance, message);

    public void AddEffect(object effect) => _execution.Effects.Add(effect);
}
