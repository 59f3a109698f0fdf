using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Workflows.Definitions;

public static class DefinitionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the validator, the publisher (a singleton: it serialises writes), the folder importer and the
    /// defaults for ids, duration/cron checks and time. The <see cref="Execution.ActivityRegistry"/> and an
    /// <see cref="Persistence.IWorkflowDefinitionStore"/> must be registered elsewhere; anything registered
    /// before this call (a real <see cref="IInputSemanticsValidator"/>, a test clock) is kept.
    /// </summary>
    public static IServiceCollection AddWorkflowDefinitions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIdGenerator>(RandomIdGenerator.Instance);
        services.TryAddSingleton<IInputSemanticsValidator>(DefaultInputSemanticsValidator.Instance);
        services.TryAddSingleton(sp => new DefinitionValidator(
            sp.GetRequiredService<Execution.ActivityRegistry>(), sp.GetRequiredService<IInputSemanticsValidator>(),
            valueRules: sp.GetServices<IInputValueRule>()));
        services.TryAddSingleton<DefinitionPublisher>();
        services.TryAddSingleton<DefinitionFolderImporter>();
        services.TryAddSingleton<Templates.DefinitionTemplates>();
        return services;
    }
}
