namespace Exit.Workflows.Expressions;

/// <summary>
/// A workflow variable (by name or id) that scripts can neither read nor write: state a module keeps for its own
/// activities (the CTI course) and that an expression must not reach. Register with
/// <c>services.AddSingleton(new ScriptHiddenVariable("Name"))</c>.
/// </summary>
public sealed record ScriptHiddenVariable(string Name);
