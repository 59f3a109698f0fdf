using Exit.Workflows.Persistence;
using Exit.Workflows.Persistence.EntityFramework;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.Hosting;

/// <summary>Picks the sweep's <see cref="IDueTimerPageReader"/> for the instance store the application registered.</summary>
public static class DueTimerPageReaders
{
    /// <summary>
    /// The EF page reader when the registered store is the EF store (or decorates it, <see cref="IInstanceStoreDecorator"/>);
    /// otherwise the store's own interface. Reading the EF database under a store that keeps its data elsewhere (tests
    /// register the in-memory store) would find no due timers at all, and firings leave their bookmark to the sweep.
    /// </summary>
    public static IDueTimerPageReader Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IWorkflowInstanceStore>();
        return IsEfStore(store)
            ? new EfDueTimerPageReader(services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>())
            : new StoreDueTimerPageReader(store);
    }

    private static bool IsEfStore(IWorkflowInstanceStore store)
    {
        // Bounded walk: a decorator chain is a few stores deep; a cycle would be a bug elsewhere, not a reason to hang.
        for (var depth = 0; depth < 16; depth++)
        {
            if (store is EfWorkflowInstanceStore) return true;
            if (store is not IInstanceStoreDecorator { Inner: { } inner }) return false;
            store = inner;
        }
        return false;
    }
}
