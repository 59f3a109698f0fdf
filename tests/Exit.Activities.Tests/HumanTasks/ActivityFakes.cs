using System.Text.Json.Nodes;
using Exit.Activities.HumanTasks;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Activities.Tests.HumanTasks;

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    public void Advance(TimeSpan by) => Now += by;
}

public sealed class SequentialIds(string prefix = "task-") : ITaskIdGenerator
{
    private int _next;
    public string NewId() => prefix + Interlocked.Increment(ref _next);
}

/// <summary>Just enough of an activity context: inputs as already-evaluated values keyed by PascalCase name.</summary>
public sealed class FakeActivityContext : IActivityExecutionContext
{
    public Dictionary<string, object?> InputValues { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<object> Effects { get; } = [];
    public Dictionary<string, object?> OutputValues { get; } = new();

    public ActivityNode Node { get; init; } = new() { Id = "task1", NodeId = "Workflow1:flowchart1:task1", Type = HumanTask.TypeName };
    public string WorkflowInstanceId { get; init; } = "instance-1";
    public string DefinitionId { get; init; } = "definition-1";
    public string? CorrelationId { get; init; } = "case-42";
    public string ActivityInstanceId { get; init; } = "activity-instance-1";
    public DateTimeOffset Now { get; set; } = new(2026, 1, 31, 9, 0, 0, TimeSpan.FromHours(1));
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
    public IServiceProvider Services => throw new NotSupportedException();
    public JsonObject Properties { get; } = new();

    public T? GetInput<T>(string name) => (T?)GetInput(name, typeof(T));

    public object? GetInput(string name, Type type) =>
        InputValues.TryGetValue(name, out var v) ? v : null;

    public bool HasInput(string name) => InputValues.ContainsKey(name);
    public JsonNode? GetVariable(string idOrName) => null;
    public void SetVariable(string id, object? value) { }
    public void SetOutput(string name, object? value) => OutputValues[name] = value;
    public void Log(string message) { }
    public void AddEffect(object effect) => Effects.Add(effect);
}
