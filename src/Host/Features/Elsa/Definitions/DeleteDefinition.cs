using Exit.Host.Features.Elsa.Descriptors;
using Exit.Workflows.Definitions;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>DELETE /elsa/api/workflow-definitions/{definitionId}: every version; answers how many were deleted.</summary>
public static class DeleteDefinition
{
    public sealed record Command(string DefinitionId) : IRequest<int>;

    public sealed class Handler(DefinitionPublisher publisher, UnknownActivityCatalog unknown) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command request, CancellationToken cancellationToken)
        {
            var deleted = await publisher.DeleteAsync(request.DefinitionId, cancellationToken);
            if (deleted > 0) unknown.Invalidate();
            return deleted;
        }
    }
}
