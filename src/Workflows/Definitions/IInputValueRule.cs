namespace Exit.Workflows.Definitions;

/// <summary>
/// A check on the literal value of one input of one activity type, supplied by the application (the runtime knows
/// nothing of what the values mean: the host injects, for example, its list of role names). Runs before publish
/// with the other checks; a value it refuses blocks publishing with <see cref="DefinitionProblemCodes.ValueNotAllowed"/>.
/// Expressions other than literals are not checked (their value is only known at run time).
/// </summary>
public interface IInputValueRule
{
    /// <summary>The activity type the rule applies to, e.g. <c>Exit.HumanTask</c>.</summary>
    string ActivityType { get; }

    /// <summary>The input's camelCase JSON name, e.g. <c>role</c>.</summary>
    string InputName { get; }

    /// <summary>A sentence saying what is wrong with <paramref name="literal"/> (quoting it), or null when it is allowed.</summary>
    string? Check(string literal);
}

/// <summary>An input whose literal value must be one of a fixed list (compared exactly, after trimming).</summary>
public sealed class AllowedValuesRule(string activityType, string inputName, IReadOnlyCollection<string> allowed, string noun) : IInputValueRule
{
    public string ActivityType { get; } = activityType;

    public string InputName { get; } = inputName;

    public IReadOnlyCollection<string> Allowed { get; } = allowed;

    public string? Check(string literal) =>
        Allowed.Contains(literal.Trim(), StringComparer.Ordinal)
            ? null
            : $"'{literal}' is not a {noun} of this application; use one of: {string.Join(", ", Allowed)}.";
}
