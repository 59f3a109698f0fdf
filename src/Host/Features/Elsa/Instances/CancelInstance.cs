using Exit.Workflows.Execution;
using MediatR;

namespace Exit.Host.Features.Elsa.Instances;

/// <summary>POST /elsa/api/cancel/workflow-instances/{id}.</summary>
public static class CancelInstance
{
    public sealed record Command(string InstanceId) : IRequest<WorkflowRunResult?>;

    public sealed class Handler(IWorkflowRuntime runtime) : IRequestHandler<Command, WorkflowRunResult?>
    {
        public Task<WorkflowRunResult?> Handle(Command request, CancellationToken cancellationToken) =>
            runtime.CancelAsync(request.InstanceId, cancellationToken);
    }
}
