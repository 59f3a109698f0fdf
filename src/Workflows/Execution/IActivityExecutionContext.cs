using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Execution;

/// <summary>
/// What an activity sees while it runs. Inputs are evaluated on demand (Literal, Object, Variable,
/// JavaScript) and the evaluated value is recorded in the journal's activity state under its PascalCase name.
/// </summary>
public interface IActivityExecutionContext
{
    ActivityNode Node { get; }
    string WorkflowInstanceId { get; }
    string DefinitionId { get; }
    string? CorrelationId { get; }
    string ActivityInstanceId { get; }

    /// <summary>The injected clock's current time.</summary>
    DateTimeOffset Now { get; }

    /// <summary>The zone calendar arithmetic is done in (configurable; Europe/Copenhagen by default).</summary>
    TimeZoneInfo TimeZone { get; }

    IServiceProvider Services { get; }

    /// <summary>Evaluates the input with the given camelCase or PascalCase name; default when absent.</summary>
    T? GetInput<T>(string name);

    object? GetInput(string name, Type type);

    bool HasInput(string name);

    /// <summary>Reads a variable visible from this activity, by id first, then by name.</summary>
    JsonNode? GetVariable(string idOrName);

    /// <summary>Writes a variable by id (as Elsa's SetVariable does), converting to its declared type.</summary>
    void SetVariable(string id, object? value);

    /// <summary>State owned by this activity instance that survives suspension.</summary>
    JsonObject Properties { get; }

    void SetOutput(string name, object? value);

    /// <summary>Adds a journal message for this activity (e.g. the text of a WriteLine).</summary>
    void Log(string message);

    /// <summary>
    /// Stages a domain change (e.g. "create a task record") committed in the same transaction as the
    /// instance state, by the <see cref="Persistence.ICommitParticipant"/> that understands it.
    /// </summary>
    void AddEffect(object effect);
}
