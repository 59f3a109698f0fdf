using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Exit.Workflows.State;
using MediatR;

namespace Exit.Host.Features.Elsa.Definitions;

/// <summary>
/// POST /elsa/api/workflow-definitions/{definitionId}/execute (Studio's Run). Studio reads the new instance id
/// from the <c>x-elsa-workflow-instance-id</c> header and treats <c>x-elsa-workflow-cannot-start: true</c> as a
/// refusal. Only a definition with a published version can be run. Refused with 409: a correlation id a running
/// instance of the same definition already uses (a CTI course's id is its instance's correlation id), and a
/// definition containing an activity that starts only through its own service (<c>Exit.StartCtiCourse</c>:
/// courses start through <c>POST /api/courses</c>). Every run is audited by the endpoint.
/// </summary>
public static class ExecuteDefinition
{
    public const string InstanceIdHeader = "x-elsa-workflow-instance-id";
    public const string CannotStartHeader = "x-elsa-workflow-cannot-start";

    public sealed record Body(string? CorrelationId, string? TriggerActivityId, string? VersionOptions, JsonNode? Input);

    /// <param name="InstanceId">The new instance's id when the caller chose it (so its audit entry can name it before the run).</param>
    /// <param name="AlsoCommit">Effects written in the new instance's commit (the endpoint's audit entry).</param>
    public sealed record Command(string DefinitionId, VersionOptions Versions, string? CorrelationId, JsonObject? Input,
        string? InstanceId = null, IReadOnlyList<object>? AlsoCommit = null) : IRequest<Outcome>;

    public abstract record Outcome;
    public sealed record NotFound(string Detail) : Outcome;
    public sealed record CannotStart(string Detail) : Outcome;

    /// <summary>Refused because of the named request field (<c>correlationId</c>, <c>definitionId</c>).</summary>
    public sealed record Conflict(string Field, string Detail) : Outcome;
    public sealed record Started(Response Response) : Outcome;

    /// <summary>The instance the run created, with Elsa's <c>workflowState</c> header fields.</summary>
    public sealed record Response(string WorkflowInstanceId, string Status, string SubStatus, WorkflowStateHeader WorkflowState);

    public sealed record WorkflowStateHeader(string Id, string DefinitionId, string Status, string SubStatus, int IncidentCount);

    /// <param name="runtimeDefinitions">The runtime's view of the store: the requested version is resolved as a start resolves
    /// it (on PostgreSQL one indexed query for the version id, whatever another host published a moment ago) and its graph
    /// comes from the runtime's cache instead of the stored JSON being read and parsed per run; the runtime then starts
    /// exactly that version (<see cref="StartWorkflowRequest.DefinitionVersionId"/>) without resolving it again.
    /// A composition without the runtime's cache (the API tests' stand-in engine) reads the store.</param>
    public sealed class Handler(IWorkflowDefinitionStore store, IWorkflowRuntime runtime,
        IWorkflowInstanceStore instances, ActivityRegistry activities, CachingDefinitionStore? runtimeDefinitions = null)
        : IRequestHandler<Command, Outcome>
    {
        public async Task<Outcome> Handle(Command request, CancellationToken cancellationToken)
        {
            var definitions = (IWorkflowDefinitionStore?)runtimeDefinitions ?? store;
            var requested = await definitions.FindAsync(request.DefinitionId, request.Versions, cancellationToken);
            var published = request.Versions == VersionOptions.Published
                ? requested
                : await definitions.FindAsync(request.DefinitionId, VersionOptions.Published, cancellationToken);
            if (requested is null && published is null)
            {
                var any = await store.FindAsync(request.DefinitionId, VersionOptions.Latest, cancellationToken);
                if (any is null) return new NotFound($"Workflow definition '{request.DefinitionId}' does not exist.");
            }
            if (published is null)
                return new CannotStart($"Workflow definition '{request.DefinitionId}' has no published version; publish it before running it.");
            if (requested is null)
                return new NotFound($"Workflow definition '{request.DefinitionId}' has no version matching the requested version options.");

            if (!string.IsNullOrWhiteSpace(request.CorrelationId))
            {
                var running = await instances.ListAsync(new InstanceFilter(
                    DefinitionId: request.DefinitionId, CorrelationId: request.CorrelationId, Status: WorkflowStatus.Running, PageSize: 1), cancellationToken);
                if (running.TotalCount > 0)
                    return new Conflict("correlationId",
                        $"A running instance of '{request.DefinitionId}' already has this correlation id; a correlation id names one running instance.");
            }

            var serviceOnly = requested.Graph.Descendants()
                .Select(n => (activities.Find(n.Type, n.Version) ?? activities.FindLatest(n.Type))?.StartsOnlyThrough)
                .FirstOrDefault(through => through is not null);
            if (serviceOnly is not null)
                return new Conflict("definitionId",
                    $"Workflow definition '{request.DefinitionId}' starts CTI courses; they start only through {serviceOnly}, which checks the citizen, the caseload and who may start them.");

            WorkflowRunResult result;
            try
            {
                result = await runtime.StartAsync(
                    new StartWorkflowRequest(request.DefinitionId, request.Versions, request.CorrelationId, request.Input,
                        InstanceId: request.InstanceId, Effects: request.AlsoCommit, DefinitionVersionId: requested.Id), cancellationToken);
            }
            catch (WorkflowDefinitionNotFoundException ex)
            {
                // Deleted between our look-up and the runtime's.
                return new NotFound(ex.Message);
            }
            catch (InvalidOperationException ex)
            {
                // The runtime refuses versions it cannot run; Studio shows the reason.
                return new CannotStart(ex.Message);
            }
            var status = result.Status.ToString();
            var subStatus = result.SubStatus.ToString();
            return new Started(new Response(result.InstanceId, status, subStatus,
                new WorkflowStateHeader(result.InstanceId, request.DefinitionId, status, subStatus, result.Incidents.Count)));
        }
    }
}
