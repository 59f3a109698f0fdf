using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exit.Workflows.Triggers;

/// <summary>Registers workflow triggers: Timer, Cron and StartAt on Quartz, Event on event publishing.</summary>
public static class TriggerServiceCollectionExtensions
{
    /// <summary>
    /// Adds start triggers over an existing registration of the store, the runtime and durable timers
    /// (<c>AddExitTimers</c>): decorates <see cref="IWorkflowDefinitionStore"/> (saves sync the triggers) and
    /// <see cref="IWorkflowRuntime"/> (events start triggered workflows), and adds the start-up pass, which runs
    /// after the hosted services registered before this call.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="readStore">The store event lookups read versions through (e.g. the runtime's cache); the plain store when null.</param>
    public static IServiceCollection AddWorkflowTriggers(
        this IServiceCollection services, Func<IServiceProvider, IWorkflowDefinitionStore>? readStore = null)
    {
        services.AddSingleton<TriggerOccurrences>();
        services.AddSingleton<StartTriggerScheduler>();
        services.AddTransient<StartWorkflowJob>();
        services.AddSingleton(sp => new EventTriggerIndex(readStore?.Invoke(sp) ?? sp.GetRequiredService<IWorkflowDefinitionStore>()));
        Decorate<IWorkflowDefinitionStore>(services, (sp, inner) => new TriggerSyncingDefinitionStore(
            inner, sp.GetRequiredService<StartTriggerScheduler>(), sp.GetRequiredService<ILogger<TriggerSyncingDefinitionStore>>()));
        Decorate<IWorkflowRuntime>(services, (sp, inner) => new EventTriggeringWorkflowRuntime(
            inner, sp.GetRequiredService<EventTriggerIndex>(), sp.GetRequiredService<ILogger<EventTriggeringWorkflowRuntime>>()));
        services.AddHostedService<StartTriggerStartup>();
        return services;
    }

    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService)
                       ?? throw new InvalidOperationException($"{typeof(T).Name} must be registered before AddWorkflowTriggers.");
        services.Remove(original);
        var create = Factory(original);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => wrap(sp, (T)create(sp)), original.Lifetime));
    }

    // Built once: the inner service is made on every resolution (per scope for the runtime), and ActivatorUtilities
    // would otherwise find its constructor by reflection each time.
    private static Func<IServiceProvider, object> Factory(ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is { } instance) return _ => instance;
        if (descriptor.ImplementationFactory is { } factory) return factory;
        var activate = ActivatorUtilities.CreateFactory(descriptor.ImplementationType!, Type.EmptyTypes);
        return sp => activate(sp, null);
    }
}
