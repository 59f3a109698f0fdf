using System.Reflection;
using MediatR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Infrastructure;

public static class MediatorServiceCollectionExtensions
{
    /// <summary>
    /// MediatR 5.1.0 without its DI package: the service factory, the mediator, the validation behaviour, and
    /// every request handler and <see cref="IRequestValidator{TRequest}"/> found by scanning (this assembly when none is given).
    /// </summary>
    public static IServiceCollection AddExitMediator(this IServiceCollection services, params Assembly[] assemblies)
    {
        if (assemblies.Length == 0) assemblies = [typeof(MediatorServiceCollectionExtensions).Assembly];

        services.TryAddScoped<ServiceFactory>(sp => sp.GetService!);
        services.TryAddScoped<IMediator, Mediator>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>)));

        services.Scan(scan => scan
            .FromAssemblies(assemblies)
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)))
            .AsImplementedInterfaces()
            .WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IRequestValidator<>)))
            .AsImplementedInterfaces()
            .WithSingletonLifetime());
        return services;
    }
}
