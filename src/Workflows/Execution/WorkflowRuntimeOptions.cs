using Exit.Workflows.Expressions;

namespace Exit.Workflows.Execution;

/// <summary>What the runtime does when an activity throws (Elsa's incident strategies).</summary>
public enum IncidentStrategy
{
    /// <summary>The instance becomes Finished/Faulted (Elsa's default FaultStrategy).</summary>
    Fault,

    /// <summary>The status is left alone; the faulted activity keeps its flowchart open.</summary>
    ContinueWithIncidents,
}

public sealed class WorkflowRuntimeOptions
{
    /// <summary>
    /// IANA or Windows id of the zone durations and cron expressions are evaluated in. Keep it equal to the
    /// scheduling module's SchedulingOptions.TimeZone. "UTC", empty or an id unknown on the host mean UTC.
    /// </summary>
    public string TimeZoneId { get; set; } = "Europe/Copenhagen";

    public IncidentStrategy IncidentStrategy { get; set; } = IncidentStrategy.Fault;

    /// <summary>How often a resume, cancel or retry reloads and tries again after a concurrency conflict.</summary>
    public int MaxConcurrencyRetries { get; set; } = 5;

    /// <summary>Safety net: the most work items one burst may run before it faults the instance.</summary>
    public int MaxWorkItemsPerBurst { get; set; } = 100_000;

    public JavaScriptOptions JavaScript { get; set; } = new();

    public TimeZoneInfo ResolveTimeZone()
    {
        // Resolved once per id: a runtime is made per scope (each request), and the lookup takes the system's zone cache lock.
        var id = TimeZoneId;
        if (_resolved is { } known && ReferenceEquals(known.Id, id)) return known.Zone;
        var zone = string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found)
            ? TimeZoneInfo.Utc
            : found;
        _resolved = new ResolvedZone(id, zone);
        return zone;
    }

    // One reference, so a reader on another thread sees an id with its own zone.
    private ResolvedZone? _resolved;

    private sealed record ResolvedZone(string? Id, TimeZoneInfo Zone);
}
