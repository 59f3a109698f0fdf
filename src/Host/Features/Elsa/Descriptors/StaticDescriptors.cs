namespace Exit.Host.Features.Elsa.Descriptors;

/// <summary>Elsa's ExpressionDescriptor. Studio crashes on an empty list (CONTRACT §3.1 #3, §7.6).</summary>
public sealed record ExpressionDescriptorDto(string Type, string DisplayName, bool IsSerializable, bool IsBrowsable, IReadOnlyDictionary<string, string> Properties);

public sealed record VariableTypeDescriptorDto(string TypeName, string DisplayName, string Category, string? Description);

public sealed record StorageDriverDescriptorDto(string TypeName, string DisplayName, int Priority, bool Deprecated);

/// <summary>Activation, incident and log-persistence strategies.</summary>
public sealed record StrategyDescriptorDto(string TypeName, string DisplayName, string? Description);

public sealed record CommitStrategyDescriptorDto(string Name, string DisplayName, string? Description);

public sealed record FeatureDescriptorDto(string Name, string Namespace, string FullName, string DisplayName, string? Description);

/// <summary>
/// The fixed descriptor lists. They describe what this runtime actually supports: the four expression types it
/// evaluates, the variable types it converts, and one storage driver (values live in the instance). Strategy
/// lists are empty because the runtime has no pluggable activation/incident/commit/log strategies; Studio
/// accepts empty lists there. No features are installed, so Studio polls instead of using SignalR.
/// </summary>
public static class StaticDescriptors
{
    public const string WorkflowInstanceStorageDriver = "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core";
    public const string MemoryStorageDriver = "Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core";

    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    public static readonly IReadOnlyList<ExpressionDescriptorDto> Expressions =
    [
        new("Literal", "Literal", true, true, NoProperties),
        new("Object", "Object", true, true, new Dictionary<string, string> { ["MonacoLanguage"] = "json" }),
        new("JavaScript", "JavaScript", true, true, new Dictionary<string, string> { ["MonacoLanguage"] = "javascript" }),
        new("Variable", "Variable", true, false, NoProperties),
    ];

    public static readonly IReadOnlyList<VariableTypeDescriptorDto> VariableTypes =
    [
        new("String", "String", "Primitives", "Text."),
        new("Boolean", "Boolean", "Primitives", "True or false."),
        new("Int32", "Int32", "Primitives", "A 32-bit whole number."),
        new("Int64", "Int64", "Primitives", "A 64-bit whole number."),
        new("Double", "Double", "Primitives", "A floating-point number."),
        new("Decimal", "Decimal", "Primitives", "An exact decimal number."),
        new("Guid", "Guid", "Primitives", "A GUID."),
        new("DateTimeOffset", "DateTimeOffset", "Primitives", "A point in time with its UTC offset."),
        new("DateTime", "DateTime", "Primitives", "A date and time."),
        new("DateOnly", "DateOnly", "Primitives", "A date."),
        new("TimeOnly", "TimeOnly", "Primitives", "A time of day."),
        new("TimeSpan", "TimeSpan", "Primitives", "A duration."),
        new("Object", "Object", "Dynamic", "Any value."),
        new("JSON", "JSON", "Dynamic", "A JSON document (JsonNode)."),
        new("JsonObject", "JsonObject", "Dynamic", "A JSON object."),
        new("ByteArray", "ByteArray", "Primitives", "Binary data."),
    ];

    public static readonly IReadOnlyList<StorageDriverDescriptorDto> StorageDrivers =
    [
        new(WorkflowInstanceStorageDriver, "Workflow Instance", 100, false),
        new(MemoryStorageDriver, "Memory", 0, false),
    ];

    public static readonly IReadOnlyList<StrategyDescriptorDto> NoStrategies = [];
    public static readonly IReadOnlyList<CommitStrategyDescriptorDto> NoCommitStrategies = [];
    /// <summary>
    /// What <c>GET /features/installed</c> lists. Studio 3.8.2 shows its "Alter" actions on instances only when the
    /// alterations feature is listed under this full name (Elsa.Studio.Core's feature check).
    /// </summary>
    public static readonly IReadOnlyList<FeatureDescriptorDto> InstalledFeatures =
    [
        new("Alterations", "Elsa.Alterations.ShellFeatures", "Elsa.Alterations.ShellFeatures.Alterations", "Alterations",
            "Migrate running instances to another version, modify variables, schedule and cancel activities (/alterations)."),
    ];
}
