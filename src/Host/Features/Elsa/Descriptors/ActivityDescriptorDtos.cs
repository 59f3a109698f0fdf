using System.Text.Json;
using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;

namespace Exit.Host.Features.Elsa.Descriptors;

/// <summary>Elsa's ActivityDescriptor as Studio reads it (CONTRACT §5.3); every field present, every collection non-null.</summary>
public sealed record ActivityDescriptorDto(
    string TypeName, string Namespace, string Name, int Version, string Category, string DisplayName, string? Description,
    string Kind, IReadOnlyList<InputDescriptorDto> Inputs, IReadOnlyList<OutputDescriptorDto> Outputs, IReadOnlyList<PortDto> Ports,
    JsonObject CustomProperties, JsonObject ConstructionProperties, bool IsContainer, bool IsBrowsable, bool IsStart, bool IsTerminal);

public sealed record InputDescriptorDto(
    string Name, string TypeName, string DisplayName, string? Description, int Order, bool IsBrowsable, bool IsSynthetic,
    bool IsWrapped, string UiHint, string? Category, JsonNode? DefaultValue, string DefaultSyntax, bool IsReadOnly,
    bool IsSensitive, string? StorageDriverType, JsonObject? UiSpecifications);

public sealed record OutputDescriptorDto(string Name, string TypeName, string DisplayName, string? Description, int Order, bool IsBrowsable, bool IsSynthetic);

/// <summary>A port: "Flow" ports are the outcomes the designer connects; "Embedded" ports hold child activities.</summary>
public sealed record PortDto(string Name, string DisplayName, string Type, bool IsBrowsable);

/// <summary>Maps the runtime's <see cref="ActivityDescriptor"/> onto the wire shape.</summary>
public static class ActivityDescriptorMapper
{
    public static ActivityDescriptorDto ToDto(ActivityDescriptor d) => new(
        d.TypeName, d.Namespace, d.Name, d.Version, d.Category, d.DisplayName, d.Description, d.Kind.ToString(),
        d.Inputs.Select((input, index) => ToDto(input, index)).ToList(),
        d.Outputs.Select((output, index) => new OutputDescriptorDto(
            output.Name, output.TypeName, output.DisplayName ?? output.Name, output.Description, index, true, false)).ToList(),
        PortsOf(d), new JsonObject(), new JsonObject(), d.IsContainer, d.IsBrowsable, d.IsStart, d.IsTerminal);

    public static InputDescriptorDto ToDto(InputDescriptor input, int index)
    {
        var options = OptionsOf(input);
        var uiHint = options is not null && input.UiHint == "singleline" ? "dropdown" : input.UiHint;
        JsonObject? uiSpecifications = null;
        if (options is not null)
        {
            var items = new JsonArray();
            foreach (var option in options) items.Add(new JsonObject { ["text"] = option.Text, ["value"] = option.Value });
            uiSpecifications = new JsonObject
            {
                [uiHint] = new JsonObject { [ListPropertyOf(uiHint)] = new JsonObject { ["items"] = items, ["isFlagsEnum"] = IsFlagsEnum(input.ClrType) } },
            };
        }
        return new InputDescriptorDto(
            input.Name, input.TypeName, input.DisplayName ?? input.Name, input.Description, input.Order != 0 ? input.Order : index,
            input.IsBrowsable, false, input.IsWrapped, uiHint, input.Category, DefaultValueOf(input.DefaultValue), input.DefaultSyntax,
            false, false, null, uiSpecifications);
    }

    /// <summary>
    /// Flow ports from the descriptor; activities with dynamic ports get the ports an unconfigured node has;
    /// terminal activities none. The flowchart exposes its body as the embedded port "Start" and has no outcomes.
    /// </summary>
    public static IReadOnlyList<PortDto> PortsOf(ActivityDescriptor d)
    {
        if (d.TypeName == WellKnownTypes.Flowchart) return [new PortDto("Start", "Start", "Embedded", false)];
        IReadOnlyList<string> names;
        try
        {
            names = d.PortsFor(new ActivityNode { Id = "descriptor", NodeId = "descriptor", Type = d.TypeName, Version = d.Version });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or KeyNotFoundException)
        {
            names = d.Ports;
        }
        return names.Distinct(StringComparer.Ordinal).Select(n => new PortDto(n, n, "Flow", true)).ToList();
    }

    /// <summary>
    /// Studio reads each list editor's options from its own property ({"checklist":{"checkList":…}},
    /// {"radiolist":{"radioList":…}}, {"dropdown":{"selectList":…}}); under any other name a checklist shows no boxes.
    /// </summary>
    private static string ListPropertyOf(string uiHint) => uiHint switch
    {
        "checklist" => "checkList",
        "radiolist" => "radioList",
        _ => "selectList",
    };

    private static IReadOnlyList<SelectOption>? OptionsOf(InputDescriptor input)
    {
        if (input.Options is { } options) return options;
        var type = Nullable.GetUnderlyingType(input.ClrType) ?? input.ClrType;
        return type.IsEnum ? Enum.GetNames(type).Select(n => new SelectOption(n, n)).ToList() : null;
    }

    private static bool IsFlagsEnum(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsEnum && t.IsDefined(typeof(FlagsAttribute), inherit: false);
    }

    private static JsonNode? DefaultValueOf(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        Enum e => JsonValue.Create(e.ToString()),
        TimeSpan span => JsonValue.Create(span.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };
}
