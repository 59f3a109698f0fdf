using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Descriptors;

/// <summary>
/// GET /elsa/api/descriptors/activities: the toolbox and every node's shape, generated from the
/// <see cref="ActivityRegistry"/>, plus the <c>Elsa.NotFoundActivity</c> placeholder, a fallback
/// <c>Elsa.Flowchart</c> if the registry has none (Studio's canvas needs it), and one placeholder per unknown
/// stored (type, version) from <see cref="UnknownActivityCatalog"/>.
/// </summary>
public static class ListActivityDescriptors
{
    public sealed record Query : IRequest<Response>;

    public sealed record Response(IReadOnlyList<ActivityDescriptorDto> Items, int Count);

    public sealed class Handler(ActivityRegistry registry, UnknownActivityCatalog unknown, IWorkflowDefinitionStore store)
        : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var items = registry.All.Select(ActivityDescriptorMapper.ToDto).ToList();
            if (registry.FindLatest(WellKnownTypes.Flowchart) is null) items.Add(FlowchartFallback);
            var placeholders = await unknown.GetAsync(store, cancellationToken);
            if (registry.FindLatest(WellKnownTypes.NotFound) is null && !placeholders.Any(p => p.TypeName == WellKnownTypes.NotFound && p.Version == 1)) items.Add(NotFound);
            items.AddRange(placeholders);
            return new Response(items, items.Count);
        }
    }

    private static readonly ActivityDescriptorDto FlowchartFallback = new(
        WellKnownTypes.Flowchart, "Elsa", "Flowchart", 1, "Workflows", "Flowchart",
        "A flowchart: activities connected by their outcomes.", "Action", [], [],
        [new PortDto("Start", "Start", "Embedded", false)], new JsonObject(), new JsonObject(),
        IsContainer: true, IsBrowsable: false, IsStart: false, IsTerminal: false);

    /// <summary>The stand-in Elsa puts where a stored activity type no longer exists (never in the toolbox).</summary>
    public static readonly ActivityDescriptorDto NotFound = new(
        WellKnownTypes.NotFound, "Elsa", "NotFoundActivity", 1, "System", "Not Found",
        "A placeholder for an activity whose type could not be found.", "Action",
        [
            new InputDescriptorDto("MissingTypeName", "String", "Missing Type Name", "The activity type that was not found.", 0,
                true, false, false, "singleline", null, null, "Literal", true, false, null, null),
            new InputDescriptorDto("MissingTypeVersion", "Int32", "Missing Type Version", "The version of the missing activity type.", 1,
                true, false, false, "singleline", null, null, "Literal", true, false, null, null),
            new InputDescriptorDto("OriginalActivityJson", "String", "Original Activity JSON", "The activity as it was stored.", 2,
                false, false, false, "multiline", null, null, "Literal", true, false, null, null),
        ],
        [], [new PortDto("Done", "Done", "Flow", true)], new JsonObject(), new JsonObject(),
        IsContainer: false, IsBrowsable: false, IsStart: false, IsTerminal: false);
}
