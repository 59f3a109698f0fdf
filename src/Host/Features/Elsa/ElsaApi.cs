using Exit.Host.Features.Elsa.ActivityExecutions;
using Exit.Host.Features.Elsa.Alterations;
using Exit.Host.Features.Elsa.Definitions;
using Exit.Host.Features.Elsa.Descriptors;
using Exit.Host.Features.Elsa.Instances;
using Exit.Host.Features.Elsa.Events;
using Exit.Host.Features.Elsa.Scripting;
using Exit.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exit.Host.Features.Elsa;

/// <summary>
/// The Elsa Studio 3.8.2 API under <c>/elsa/api</c>. The request handlers are MediatR handlers found by the
/// host's assembly scan; <see cref="AddElsaApi"/> adds the few services of our own they need.
/// </summary>
public static class ElsaApi
{
    public const string BasePath = "/elsa/api";

    /// <param name="importLimits">Caps on definition imports (the host binds <c>Exit:Import</c>); defaults otherwise.</param>
    public static IServiceCollection AddElsaApi(this IServiceCollection services, Definitions.ImportLimits? importLimits = null)
    {
        services.TryAddSingleton<UnknownActivityCatalog>();
        services.TryAddSingleton(importLimits ?? new Definitions.ImportLimits());
        // The definition services this API drives (validator, publisher); they use TryAdd, so registrations
        // made by the host before or after this call are kept.
        services.AddWorkflowDefinitions();
        return services;
    }

    public static RouteGroupBuilder MapElsaApi(this IEndpointRouteBuilder app)
    {
        var elsa = app.MapGroup(BasePath);
        elsa.AddEndpointFilter<Shared.ProblemContentTypeFilter>();
        elsa.MapDefinitionEndpoints();
        elsa.MapBulkDefinitionActions();
        elsa.MapDescriptorEndpoints();
        elsa.MapInstanceEndpoints();
        elsa.MapActivityExecutionEndpoints();
        elsa.MapScriptingEndpoints();
        elsa.MapEventEndpoints();
        elsa.MapAlterationEndpoints();
        return elsa;
    }
}
