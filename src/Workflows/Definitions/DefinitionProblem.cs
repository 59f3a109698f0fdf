namespace Exit.Workflows.Definitions;

/// <summary>
/// Something wrong with a definition: found while reading it (structure) or while validating it against the
/// activity registry (semantics). Any problem blocks publishing; drafts may be saved with problems.
/// </summary>
/// <param name="ActivityId">The activity the problem is about, or null for the definition as a whole.</param>
/// <param name="InputName">The camelCase input (or variable/connection field) concerned, if any.</param>
/// <param name="Code">A stable code from <see cref="DefinitionProblemCodes"/>.</param>
/// <param name="Message">A sentence for a person; names the activity (id and name) and the input.</param>
public sealed record DefinitionProblem(string? ActivityId, string? InputName, string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>The codes <see cref="DefinitionProblem"/> uses.</summary>
public static class DefinitionProblemCodes
{
    public const string MissingActivityId = "MissingActivityId";
    public const string MissingActivityType = "MissingActivityType";
    public const string DuplicateActivityId = "DuplicateActivityId";
    public const string InvalidConnection = "InvalidConnection";
    public const string DanglingConnection = "DanglingConnection";
    public const string UnknownPort = "UnknownPort";
    public const string UnknownActivityType = "UnknownActivityType";
    public const string UnknownActivityVersion = "UnknownActivityVersion";
    public const string MissingActivity = "MissingActivity";
    public const string DuplicateVariableId = "DuplicateVariableId";
    public const string DuplicateVariableName = "DuplicateVariableName";
    public const string MissingVariableId = "MissingVariableId";
    public const string UnknownVariableType = "UnknownVariableType";
    public const string UnknownVariable = "UnknownVariable";
    public const string UnknownExpressionType = "UnknownExpressionType";
    public const string InvalidObjectExpression = "InvalidObjectExpression";
    public const string InvalidJavaScript = "InvalidJavaScript";
    public const string InvalidDuration = "InvalidDuration";
    public const string InvalidCron = "InvalidCron";
    public const string InvalidDateTime = "InvalidDateTime";
    public const string MissingRequiredInput = "MissingRequiredInput";

    /// <summary>A literal value the application does not allow (an <see cref="IInputValueRule"/>), e.g. an unknown role.</summary>
    public const string ValueNotAllowed = "ValueNotAllowed";
}
