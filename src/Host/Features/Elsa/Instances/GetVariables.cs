using System.Text.Json.Nodes;
using Exit.Host.Features.Elsa.Shared;
using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using MediatR;

namespace Exit.Host.Features.Elsa.Instances;

/// <summary>
/// GET /elsa/api/workflow-instances/{id}/variables: every variable the instance's definition version declares
/// (workflow and flowchart level) with its current value; values the instance holds for ids the definition no
/// longer declares are listed under their id.
/// Privacy by default: only numbers and booleans are shown; text is withheld (objects and arrays keep their shape), since a
/// workflow variable can hold citizen data (a CTI course's focus areas, an alias) and Studio's viewers are
/// coordinators and managers, who have no caseload.
/// </summary>
public static class GetVariables
{
    public sealed record Query(string InstanceId) : IRequest<ListResponse<VariableDto>?>;

    public sealed record VariableDto(string Id, string Name, JsonNode? Value);

    public const string Withheld = ElsaRedaction.Withheld;

    /// <summary>The instance API's one redaction (<see cref="ElsaRedaction"/>).</summary>
    private static JsonNode? Shown(JsonNode? value) => ElsaRedaction.Value(value);

    public sealed class Handler(IWorkflowInstanceStore instances, IWorkflowDefinitionStore definitions)
        : IRequestHandler<Query, ListResponse<VariableDto>?>
    {
        public async Task<ListResponse<VariableDto>?> Handle(Query request, CancellationToken cancellationToken)
        {
            var instance = await instances.FindAsync(request.InstanceId, cancellationToken);
            if (instance is null) return null;
            var definition = await definitions.FindByIdAsync(instance.DefinitionVersionId, cancellationToken);

            var declared = new List<VariableDefinition>();
            if (definition is not null)
            {
                declared.AddRange(definition.Graph.Variables);
                foreach (var node in definition.Graph.Descendants()) declared.AddRange(node.Variables);
            }
            var items = new List<VariableDto>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var variable in declared)
            {
                if (!seen.Add(variable.Id)) continue;
                // The designer's initial value is part of the definition, not of a citizen's case: shown as is.
                var value = instance.Variables.TryGetValue(variable.Id, out var v) ? Shown(v?.DeepClone())
                    : variable.Value is null ? null : JsonValue.Create(variable.Value);
                items.Add(new VariableDto(variable.Id, variable.Name, value));
            }
            foreach (var (id, value) in instance.Variables)
                if (seen.Add(id)) items.Add(new VariableDto(id, id, Shown(value?.DeepClone())));
            return new ListResponse<VariableDto>(items, items.Count);
        }
    }
}
