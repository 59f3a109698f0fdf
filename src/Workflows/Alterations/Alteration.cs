using System.Text.Json.Nodes;

namespace Exit.Workflows.Alterations;

/// <summary>
/// One change to a running instance, as Elsa's alteration types name them (<c>type</c>: Migrate, ModifyVariable,
/// ScheduleActivity, CancelActivity). A plan applies its alterations in order to each instance, all or nothing.
/// </summary>
public abstract record Alteration
{
    /// <summary>Elsa's type discriminator.</summary>
    public abstract string Type { get; }
}

/// <summary>Moves the instance to another version of its definition (Elsa's Migrate).</summary>
/// <param name="TargetVersion">The version number to move to.</param>
/// <param name="ActivityMappings">Explicit mapping: activity id in the current version → activity id in the target.</param>
/// <param name="VariableValues">Explicit values for variables that cannot be carried (a removed variable or one of another
/// type); JSON null drops a removed variable or resets a retyped one to its default.</param>
public sealed record MigrateAlteration(
    int TargetVersion,
    IReadOnlyDictionary<string, string>? ActivityMappings = null,
    IReadOnlyDictionary<string, JsonNode?>? VariableValues = null) : Alteration
{
    public override string Type => "Migrate";
}

/// <summary>Sets a declared variable (by id, or name) to a value of its type.</summary>
public sealed record ModifyVariableAlteration(string VariableId, JsonNode? Value) : Alteration
{
    public override string Type => "ModifyVariable";
}

/// <summary>Runs an activity of the instance's version inside its (running) flowchart.</summary>
public sealed record ScheduleActivityAlteration(string ActivityId) : Alteration
{
    public override string Type => "ScheduleActivity";
}

/// <summary>Cancels a running activity (its bookmarks, timers and open tasks go with it).</summary>
public sealed record CancelActivityAlteration(string? ActivityId, string? ActivityInstanceId = null) : Alteration
{
    public override string Type => "CancelActivity";
}
