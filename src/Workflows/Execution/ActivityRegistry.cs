using System.Collections.Concurrent;

namespace Exit.Workflows.Execution;

/// <summary>The catalogue of activity types, keyed by (type name, version). Filled at start-up.</summary>
public sealed class ActivityRegistry
{
    private readonly ConcurrentDictionary<(string, int), ActivityDescriptor> _descriptors = new();

    /// <summary>
    /// The newest version per type name, asked for on every completed activity (is it terminal?): a scan of every descriptor
    /// (and a copy of them all) each time before. Cleared by <see cref="Register"/>; null = the type is not registered.
    /// </summary>
    private readonly ConcurrentDictionary<string, ActivityDescriptor?> _latest = new(StringComparer.Ordinal);

    public ActivityRegistry(IEnumerable<ActivityDescriptor> descriptors)
    {
        foreach (var d in descriptors) Register(d);
    }

    public void Register(ActivityDescriptor descriptor)
    {
        if (!_descriptors.TryAdd((descriptor.TypeName, descriptor.Version), descriptor))
            throw new InvalidOperationException($"Activity {descriptor.TypeName} v{descriptor.Version} is registered twice.");
        // After the descriptor is in: a scan that missed it and stores its answer under the lock is cleared here.
        lock (_latest) _latest.Clear();
    }

    public ActivityDescriptor? Find(string typeName, int version) =>
        _descriptors.TryGetValue((typeName, version), out var d) ? d : null;

    /// <summary>The newest version of a type, for JSON that names no version.</summary>
    public ActivityDescriptor? FindLatest(string typeName)
    {
        if (_latest.TryGetValue(typeName, out var latest)) return latest;
        lock (_latest) return _latest[typeName] = ScanLatest(typeName);
    }

    private ActivityDescriptor? ScanLatest(string typeName) =>
        _descriptors.Values.Where(d => d.TypeName == typeName).MaxBy(d => d.Version);

    public IReadOnlyCollection<ActivityDescriptor> All => _descriptors.Values.OrderBy(d => d.TypeName).ThenBy(d => d.Version).ToList();
}
