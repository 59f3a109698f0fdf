using Exit.Workflows.Definitions;

namespace Exit.Workflows.Execution;

public enum ActivityKind { Action, Trigger, Job, Task }

/// <summary>
/// Everything the runtime, the validator and Elsa Studio need to know about an activity type: its stable
/// wire name and version, designer metadata, typed inputs and its outcome ports.
/// </summary>
public sealed record ActivityDescriptor
{
    /// <summary>Stable wire name, e.g. "Elsa.WriteLine" or "Exit.HumanTask"; never a CLR name.</summary>
    public required string TypeName { get; init; }
    public int Version { get; init; } = 1;
    public required string Category { get; init; }
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
    public ActivityKind Kind { get; init; } = ActivityKind.Action;
    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];

    /// <summary>Fixed outcome ports. Empty means the single default port "Done" (unless terminal).</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>Ports that depend on the node's inputs (FlowFork branches, a task's allowed outcomes).</summary>
    public Func<ActivityNode, IReadOnlyList<string>>? DynamicPorts { get; init; }

    public bool IsContainer { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsStart { get; init; }
    public bool IsTerminal { get; init; }

    /// <summary>
    /// A workflow containing this activity starts only through the service that owns it (e.g. a CTI course through
    /// the CTI service, with its caseload and ownership rules): the generic execute endpoint refuses to run it.
    /// The activity itself enforces the same rule, so no other start path gets round it.
    /// </summary>
    public string? StartsOnlyThrough { get; init; }

    /// <summary>The <see cref="IActivity"/> implementation resolved from DI; null for containers the engine runs itself.</summary>
    public Type? ActivityType { get; init; }

    public string Namespace => TypeName.Contains('.') ? TypeName[..TypeName.LastIndexOf('.')] : "";
    public string Name => TypeName.Contains('.') ? TypeName[(TypeName.LastIndexOf('.') + 1)..] : TypeName;

    public IReadOnlyList<string> PortsFor(ActivityNode node) =>
        DynamicPorts?.Invoke(node) ?? (Ports.Count > 0 ? Ports : IsTerminal ? [] : ["Done"]);
}

/// <summary>How an input's value is checked before publish (beyond plain type conversion).</summary>
public enum InputSemantics { None, Duration, Cron, DateTime }

public sealed record SelectOption(string Text, string Value);

public sealed record InputDescriptor
{
    /// <summary>PascalCase name; the JSON key is its camelCase form.</summary>
    public required string Name { get; init; }
    public required Type ClrType { get; init; }
    /// <summary>Elsa type alias shown to Studio, e.g. "String", "Boolean", "TimeSpan", "Object".</summary>
    public required string TypeName { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    /// <summary>Studio UI hint: singleline, multiline, checkbox, dropdown, code-editor, json-editor…</summary>
    public string UiHint { get; init; } = "singleline";
    public object? DefaultValue { get; init; }
    public string DefaultSyntax { get; init; } = "Literal";
    public IReadOnlyList<SelectOption>? Options { get; init; }
    public bool IsRequired { get; init; }
    public bool IsWrapped { get; init; } = true;
    public bool IsBrowsable { get; init; } = true;
    public int Order { get; init; }
    public string? Category { get; init; }
    public InputSemantics Semantics { get; init; }

    public string JsonName => char.ToLowerInvariant(Name[0]) + Name[1..];
}

public sealed record OutputDescriptor(string Name, string TypeName, string? DisplayName = null, string? Description = null);
