using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;

namespace Exit.Workflows.Expressions;

/// <summary>
/// Evaluates an Elsa input (Literal, Object, Variable or JavaScript) to a CLR type, following Elsa's
/// conversion rules: unconvertible literals become <c>default</c> silently; a failing script throws.
/// </summary>
public interface IExpressionEvaluator
{
    object? Evaluate(InputValue? input, Type targetType, IExpressionScope scope);
}

/// <summary>What an expression can see: the variables in scope, the instance's ids and its input.</summary>
public interface IExpressionScope
{
    string WorkflowInstanceId { get; }
    string? CorrelationId { get; set; }
    JsonObject WorkflowInput { get; }

    /// <summary>Variables visible from the evaluating activity, nearest scope first.</summary>
    IReadOnlyList<VariableDefinition> VisibleVariables { get; }

    /// <summary>The variable's current value as stored (JSON), by variable id.</summary>
    JsonNode? GetVariableValue(VariableDefinition variable);

    /// <summary>Converts <paramref name="value"/> to the variable's declared type and stores it.</summary>
    void SetVariableValue(VariableDefinition variable, object? value);

    /// <summary>Declares a new Object variable in the outermost scope (JavaScript <c>setVariable</c> of an unknown name).</summary>
    VariableDefinition DeclareVariable(string name);
}

/// <summary>A script failed (syntax error, thrown error, limit exceeded); the activity faults.</summary>
public sealed class ExpressionEvaluationException(string message, Exception? inner = null) : Exception(message, inner);
