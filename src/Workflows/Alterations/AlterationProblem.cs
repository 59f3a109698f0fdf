namespace Exit.Workflows.Alterations;

/// <summary>
/// Why an alteration cannot be applied to an instance as asked. Any problem refuses the whole plan for that instance:
/// nothing of it is stored. <see cref="Code"/> is stable (for clients and tests); the message is for people.
/// </summary>
public sealed record AlterationProblem(string Code, string Message, string? ActivityId = null, string? VariableId = null)
{
    public const string InstanceNotFound = "InstanceNotFound";
    public const string InstanceNotRunning = "InstanceNotRunning";
    public const string TargetVersionNotFound = "TargetVersionNotFound";
    public const string TargetVersionIsDraft = "TargetVersionIsDraft";
    public const string ActivityMissingInTarget = "ActivityMissingInTarget";
    public const string ActivityTypeChanged = "ActivityTypeChanged";
    public const string ActivityMovedContainer = "ActivityMovedContainer";
    public const string MappingTargetMissing = "MappingTargetMissing";
    public const string TokenTargetMissing = "TokenTargetMissing";
    public const string VariableMissingInTarget = "VariableMissingInTarget";
    public const string VariableTypeChanged = "VariableTypeChanged";
    public const string VariableValueInvalid = "VariableValueInvalid";
    public const string AlterationRefused = "AlterationRefused";
}

/// <summary>What happened to one instance: applied (or, in a dry run, would apply) with its log, or refused with problems.</summary>
public sealed record AlterationOutcome(
    string InstanceId,
    bool Succeeded,
    IReadOnlyList<AlterationProblem> Problems,
    IReadOnlyList<string> Log,
    int? FromVersion = null,
    int? ToVersion = null)
{
    public static AlterationOutcome Refused(string instanceId, IReadOnlyList<AlterationProblem> problems, IReadOnlyList<string> log) =>
        new(instanceId, false, problems, log);
}
