using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;

namespace Exit.Host.Features.Elsa.Descriptors;

/// <summary>
/// DATA-LOSS GUARD (CONTRACT §7.4). Studio empties the whole canvas, silently, when one (type, version) in a
/// definition has no descriptor, and its next auto-save then stores <c>activities: []</c>. This catalog scans the
/// stored definitions for activity types the registry does not know and produces a visible placeholder
/// descriptor for each (category "Unknown", not in the toolbox), with the ports its stored connections use,
/// so the canvas still renders and saves the nodes back unchanged. The scan is cached and redone after a
/// definition is saved, imported or deleted through the API (<see cref="Invalidate"/>), and at the latest after
/// <see cref="MaxAge"/> so definitions written by other paths (a folder provider, another node) are picked up.
/// </summary>
public sealed class UnknownActivityCatalog(ActivityRegistry registry, TimeProvider time)
{
    public const string Category = "Unknown";
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    // Per municipality: each scans (and its Studio needs placeholders for) its own definitions only.
    private readonly Dictionary<string, (IReadOnlyList<ActivityDescriptorDto> Descriptors, DateTimeOffset At)> _cached = new(StringComparer.Ordinal);
    private long _generation;

    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _cached.Clear();
        }
    }

    public async Task<IReadOnlyList<ActivityDescriptorDto>> GetAsync(IWorkflowDefinitionStore store, CancellationToken ct)
    {
        long generation;
        var tenant = Exit.Workflows.Tenancy.TenantScope.Current ?? "";
        lock (_gate)
        {
            if (_cached.TryGetValue(tenant, out var cached) && time.GetUtcNow() - cached.At < MaxAge) return cached.Descriptors;
            generation = _generation;
        }
        var scannedAt = time.GetUtcNow();
        var all = await store.ListAsync(new DefinitionFilter(Versions: VersionOptions.AllVersions, PageSize: int.MaxValue), ct);
        var result = Scan(all.Items.Select(v => v.Graph));
        lock (_gate)
        {
            if (_generation == generation) _cached[tenant] = (result, scannedAt);
        }
        return result;
    }

    /// <summary>Placeholders for every (type, version) in the graphs the registry does not know.</summary>
    public IReadOnlyList<ActivityDescriptorDto> Scan(IEnumerable<WorkflowGraph> graphs)
    {
        var found = new Dictionary<(string Type, int Version), Unknown>();
        foreach (var graph in graphs)
        {
            foreach (var container in graph.Descendants())
            {
                Visit(container, found, outgoing: []);
                foreach (var child in container.Activities)
                {
                    var ports = container.Connections.Where(c => c.SourceId == child.Id).Select(c => c.Outcome);
                    Visit(child, found, ports);
                }
            }
        }
        return found.Values.OrderBy(u => u.Type, StringComparer.Ordinal).ThenBy(u => u.Version).Select(u => u.ToDto()).ToList();
    }

    private void Visit(ActivityNode node, Dictionary<(string, int), Unknown> found, IEnumerable<string> outgoing)
    {
        if (string.IsNullOrEmpty(node.Type) || registry.Find(node.Type, node.Version) is not null) return;
        // Stored Elsa.NotFoundActivity nodes share one descriptor: the standard one, with every port they use.
        if (!found.TryGetValue((node.Type, node.Version), out var unknown))
            found[(node.Type, node.Version)] = unknown = new Unknown(node.Type, node.Version);
        foreach (var port in outgoing) unknown.Ports.Add(port);
        foreach (var (key, value) in node.Raw)
        {
            if (value is JsonObject wrapped && wrapped["expression"] is JsonObject && !unknown.Inputs.ContainsKey(key))
                unknown.Inputs[key] = wrapped["typeName"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName : "Object";
        }
    }

    private sealed class Unknown(string type, int version)
    {
        public string Type { get; } = type;
        public int Version { get; } = version;
        public SortedSet<string> Ports { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, string> Inputs { get; } = new(StringComparer.Ordinal);

        public ActivityDescriptorDto ToDto()
        {
            if (Type == WellKnownTypes.NotFound)
            {
                var ports = Ports.Append("Done").Distinct(StringComparer.Ordinal).Select(p => new PortDto(p, p, "Flow", true)).ToList();
                return ListActivityDescriptors.NotFound with { Version = Version, Ports = ports };
            }
            var dot = Type.LastIndexOf('.');
            var flowPorts = Ports.Count > 0 ? Ports.ToList() : ["Done"];
            return new ActivityDescriptorDto(
                Type, dot > 0 ? Type[..dot] : "", dot > 0 ? Type[(dot + 1)..] : Type, Version, Category, $"Unknown: {Type} v{Version}",
                $"No activity type {Type} v{Version} is registered on this server. The node is kept exactly as stored; " +
                "register the type (or replace the node) before publishing.",
                "Action",
                Inputs.Select((input, index) => new InputDescriptorDto(
                    char.ToUpperInvariant(input.Key[0]) + input.Key[1..], input.Value, input.Key, "Stored value; the activity type is unknown.",
                    index, true, false, true, "singleline", null, null, "Literal", false, false, null, null)).ToList(),
                [],
                flowPorts.Select(p => new PortDto(p, p, "Flow", true)).ToList(),
                new JsonObject { ["unknownActivityType"] = true }, new JsonObject(),
                IsContainer: false, IsBrowsable: false, IsStart: false, IsTerminal: false);
        }
    }
}
