using Exit.Workflows.Expressions;
using Exit.Workflows.Persistence;
using Exit.Workflows.Timers;

namespace Exit.Workflows.Hosting;

/// <summary>Everything the workflow runtime needs from its host: database, time zone and timer settings.</summary>
public sealed class ExitWorkflowOptions
{
    public required DatabaseOptions Database { get; init; }
    public SchedulingOptions Scheduling { get; init; } = new();

    /// <summary>Folder of definition files imported and published at start-up; null for none.</summary>
    public string? DefinitionsFolder { get; init; }

    /// <summary>The JavaScript sandbox's limits (configuration section <c>Exit:JavaScript</c> in the host).</summary>
    public JavaScriptOptions JavaScript { get; init; } = new();

    /// <summary>Durable Quartz timers; off only for tests that resume due bookmarks themselves.</summary>
    public bool DurableTimers { get; init; } = true;
}
