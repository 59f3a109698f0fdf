using Exit.Host.Features.Elsa.Instances;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exit.Host.Features.Elsa.Descriptors;

/// <summary>/elsa/api/descriptors/* and /elsa/api/features/installed. Every one answers 200 (a 404 on a load-time call crashes Studio).</summary>
public static class DescriptorEndpoints
{
    public sealed record OptionsResponse(IReadOnlyDictionary<string, object> Items);

    public static RouteGroupBuilder MapDescriptorEndpoints(this RouteGroupBuilder elsa)
    {
        var descriptors = elsa.MapGroup("/descriptors").WithTags("Elsa descriptors");

        // Studio sends Refresh=True after every save; the unknown-type scan is refreshed by the saves themselves.
        descriptors.MapGet("/activities", async Task<Ok<ListActivityDescriptors.Response>> (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListActivityDescriptors.Query(), ct)))
            .WithName("ListActivityDescriptors");

        // Only asked for inputs whose uiSpecifications say Refresh; we publish none, so there are no options to compute.
        descriptors.MapPost("/activities/{typeName}/options/{propertyName}", (string typeName, string propertyName) =>
            TypedResults.Ok(new OptionsResponse(new Dictionary<string, object>())));

        descriptors.MapGet("/expression-descriptors", () => List(StaticDescriptors.Expressions));
        descriptors.MapGet("/variables", () => List(StaticDescriptors.VariableTypes));
        descriptors.MapGet("/storage-drivers", () => List(StaticDescriptors.StorageDrivers));
        descriptors.MapGet("/workflow-activation-strategies", () => List(StaticDescriptors.NoStrategies));
        descriptors.MapGet("/log-persistence-strategies", () => List(StaticDescriptors.NoStrategies));
        descriptors.MapGet("/incident-strategies", () => List(StaticDescriptors.NoStrategies));
        descriptors.MapGet("/commit-strategies/workflows", () => List(StaticDescriptors.NoCommitStrategies));
        descriptors.MapGet("/commit-strategies/activities", () => List(StaticDescriptors.NoCommitStrategies));

        elsa.MapGet("/features/installed", () => List(StaticDescriptors.InstalledFeatures)).WithTags("Elsa descriptors");
        return elsa;
    }

    private static Ok<ListResponse<T>> List<T>(IReadOnlyList<T> items) => TypedResults.Ok(new ListResponse<T>(items, items.Count));
}
