namespace Exit.Workflows.Definitions;

/// <summary>The expression types Exit evaluates, plus the marker for a wrapped input without an expression.</summary>
public static class ExpressionTypes
{
    /// <summary>
    /// A wrapper with <c>typeName</c> but no <c>expression</c> object (or an expression without <c>type</c>).
    /// Elsa treats such an input as not set. <see cref="InputValue.Value"/> then holds the whole wrapper, which is
    /// how SetVariable's <c>variable</c> object (<c>{"id","name","typeName",…}</c>) arrives.
    /// </summary>
    public const string None = "";

    /// <summary>The expression types a definition may use: Literal, Object, Variable and JavaScript.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        InputValue.Literal, InputValue.Object, InputValue.Variable, InputValue.JavaScript,
    };

    public static bool HasExpression(this InputValue input) => input.ExpressionType.Length > 0;
}
