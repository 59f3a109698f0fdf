using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Workflows.Execution;

public static class ActivityServiceCollectionExtensions
{
    /// <summary>Adds an activity type to the registry and its implementation to DI.</summary>
    public static IServiceCollection AddActivity<TActivity>(this IServiceCollection services, ActivityDescriptor descriptor)
        where TActivity : class, IActivity
    {
        services.AddSingleton(descriptor with { ActivityType = typeof(TActivity) });
        services.TryAddTransient<TActivity>();
        return services;
    }

    /// <summary>Adds a descriptor for a type the engine executes itself (containers, joins).</summary>
    public static IServiceCollection AddActivityDescriptor(this IServiceCollection services, ActivityDescriptor descriptor)
    {
        services.AddSingleton(descriptor);
        return services;
    }
}
