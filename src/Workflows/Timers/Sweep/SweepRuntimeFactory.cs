using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// Builds the runtime for one resume of a sweep: the engine as the application gets it (definitions through the
/// runtime's cache, everything else from the resume's own scope), but reading the instance store through a
/// <see cref="SnapshotInstanceStore"/> that already holds what the page read, and handing its commits' timer work to the
/// page (<see cref="SweepPageTimerScheduler"/>).
/// </summary>
public sealed class SweepRuntimeFactory
{
    private static readonly ObjectFactory<WorkflowRuntime> Create =
        ActivatorUtilities.CreateFactory<WorkflowRuntime>([typeof(IWorkflowDefinitionStore), typeof(IWorkflowInstanceStore), typeof(IBookmarkScheduler)]);

    /// <param name="scope">The resume's scope: activities resolve their services from it.</param>
    /// <param name="instances">The store this runtime reads and commits through.</param>
    /// <param name="timers">Told about each commit's timer bookmarks (the page's <see cref="SweepPageTimerScheduler"/>).</param>
    public IWorkflowRuntime CreateRuntime(IServiceProvider scope, IWorkflowInstanceStore instances, IBookmarkScheduler timers)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // The runtime's own view of the definitions when the composition has the cache (AddExitWorkflows), else the store.
        var definitions = scope.GetService<CachingDefinitionStore>() ?? scope.GetRequiredService<IWorkflowDefinitionStore>();
        return Create(scope, [definitions, instances, timers]);
    }
}
