using System.Text.Json.Nodes;
using Exit.Workflows.Definitions;
using Exit.Workflows.Execution;
using Exit.Workflows.Expressions;
using Exit.Workflows.State;

namespace Exit.Workflows.Alterations;

/// <summary>The instance as it would stand on the target version, and the bookmarks whose activity moved.</summary>
internal sealed record MigratedInstance(
    WorkflowInstance Instance,
    IReadOnlyList<Bookmark> Bookmarks,
    IReadOnlyList<string> RewrittenBookmarkIds,
    IReadOnlyList<string> Log);

/// <summary>
/// Carries an instance's state over to another version of its definition, by activity id: running activity instances
/// (with their activity state, properties and flowchart tokens), bookmarks (same ids, so open tasks and events still find
/// them; timers keep their due times) and variables. Pure: it reads the instance and returns a changed copy, or the
/// problems that forbid the move (a running activity or live token the target lacks, an activity of another type or in
/// another container, a variable removed or retyped) unless the mapping says what to do.
/// </summary>
internal static class InstanceMigration
{
    public static (MigratedInstance? Result, IReadOnlyList<AlterationProblem> Problems) Migrate(
        WorkflowInstance instance, IReadOnlyList<Bookmark> bookmarks, WorkflowDefinitionVersion source,
        WorkflowDefinitionVersion target, MigrateAlteration alteration)
    {
        var problems = new List<AlterationProblem>();
        var log = new List<string>();
        var sourceNodes = NodesById(source.Graph);
        var targetIndex = GraphIndex.For(target.Graph);
        var targetNodes = NodesById(target.Graph);
        var mappings = alteration.ActivityMappings ?? new Dictionary<string, string>();
        foreach (var (from, to) in mappings)
            if (!targetNodes.ContainsKey(to))
                problems.Add(new(AlterationProblem.MappingTargetMissing,
                    $"The mapping sends activity '{from}' to '{to}', which version {target.Version} does not have.", from));

        string MapId(string activityId) => mappings.TryGetValue(activityId, out var mapped) ? mapped : activityId;

        // Activity instances: same id, the target's node.
        var migrated = new Dictionary<string, ActivityInstance>(StringComparer.Ordinal);
        foreach (var a in instance.ActivityInstances)
        {
            if (a.ParentId is null) // the Workflow activity itself
            {
                migrated[a.Id] = Copy(a, targetIndex.WorkflowNode, MapTokens(a.Tokens));
                continue;
            }
            var mappedId = MapId(a.ActivityId);
            var name = sourceNodes.GetValueOrDefault(a.ActivityId)?.Name ?? a.ActivityId;
            if (!targetNodes.TryGetValue(mappedId, out var node))
            {
                problems.Add(new(AlterationProblem.ActivityMissingInTarget,
                    $"Activity '{name}' ({a.ActivityType}) is {Describe(a.Status)} but version {target.Version} no longer has it; map it to an activity of version {target.Version}.",
                    a.ActivityId));
                continue;
            }
            if (node.Type != a.ActivityType)
            {
                problems.Add(new(AlterationProblem.ActivityTypeChanged,
                    $"Activity '{name}' is a {a.ActivityType} but '{node.Id}' in version {target.Version} is a {node.Type}.", a.ActivityId));
                continue;
            }
            migrated[a.Id] = Copy(a, node, MapTokens(a.Tokens));
            if (mappedId != a.ActivityId) log.Add($"Activity '{a.ActivityId}' carried over to '{mappedId}'.");
        }

        // Each carried activity must sit in the container its parent instance now stands for.
        foreach (var a in migrated.Values.Where(a => a.ParentId is not null))
        {
            if (!migrated.TryGetValue(a.ParentId!, out var parent)) continue; // the parent's own problem is reported
            var expected = targetIndex.ParentOf(targetIndex.Find(a.NodeId)!);
            if (expected?.NodeId != parent.NodeId)
                problems.Add(new(AlterationProblem.ActivityMovedContainer,
                    $"Activity '{a.ActivityId}' lies in another container in version {target.Version}.", a.ActivityId));
        }

        List<FlowToken>? MapTokens(List<FlowToken>? tokens)
        {
            if (tokens is null) return null;
            var result = new List<FlowToken>();
            foreach (var t in tokens)
            {
                var from = MapId(t.FromActivityId);
                var to = MapId(t.ToActivityId);
                if (targetNodes.ContainsKey(from) && targetNodes.ContainsKey(to))
                {
                    result.Add(new FlowToken { FromActivityId = from, Outcome = t.Outcome, ToActivityId = to, Consumed = t.Consumed, Blocked = t.Blocked });
                    continue;
                }
                // A spent token is history; a live one is flow that would be lost.
                if (!t.Consumed)
                    problems.Add(new(AlterationProblem.TokenTargetMissing,
                        $"Flow from '{t.FromActivityId}' to '{t.ToActivityId}' is under way but version {target.Version} lacks one of them.",
                        t.ToActivityId));
            }
            return result;
        }

        // Variables: by id; a removed or retyped one needs an explicit value.
        var sourceVariables = DeclaredVariables(source.Graph);
        var targetVariables = DeclaredVariables(target.Graph);
        var values = alteration.VariableValues ?? new Dictionary<string, JsonNode?>();
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (id, value) in instance.Variables)
        {
            if (!sourceVariables.TryGetValue(id, out var declared))
            {
                variables[id] = value?.DeepClone(); // a script-created variable: carried as it is
                continue;
            }
            targetVariables.TryGetValue(id, out var next);
            var sameType = next is not null && next.TypeName == declared.TypeName && next.IsArray == declared.IsArray;
            if (values.TryGetValue(id, out var given))
            {
                if (next is null)
                {
                    if (given is not null)
                        problems.Add(new(AlterationProblem.VariableValueInvalid,
                            $"Variable '{declared.Name}' does not exist in version {target.Version}; only null (drop it) can be given.", VariableId: id));
                    else log.Add($"Variable '{declared.Name}' dropped (not in version {target.Version}).");
                    continue;
                }
                var type = VariableTypes.Resolve(next)!;
                if (given is null)
                {
                    variables[id] = ValueConverter.TryConvert(next.Value, type, out var initial) ? ValueConverter.ToJson(initial) : null;
                    log.Add($"Variable '{next.Name}' reset to its initial value.");
                }
                else if (ValueConverter.TryConvert(ValueConverter.ToPlain(given), type, out var converted))
                {
                    variables[id] = ValueConverter.ToJson(converted);
                    log.Add($"Variable '{next.Name}' set by the mapping.");
                }
                else
                {
                    problems.Add(new(AlterationProblem.VariableValueInvalid,
                        $"The value given for variable '{next.Name}' is not a {TypeText(next)}.", VariableId: id));
                }
                continue;
            }
            if (next is null)
                problems.Add(new(AlterationProblem.VariableMissingInTarget,
                    $"Variable '{declared.Name}' holds a value but version {target.Version} does not declare it; give null to drop it.", VariableId: id));
            else if (!sameType)
                problems.Add(new(AlterationProblem.VariableTypeChanged,
                    $"Variable '{declared.Name}' is a {TypeText(declared)} but a {TypeText(next)} in version {target.Version}; give a value for it.", VariableId: id));
            else variables[id] = value?.DeepClone();
        }
        // Variables the target adds to a container that is already running start with their initial value.
        foreach (var container in migrated.Values.Select(a => targetIndex.Find(a.NodeId)).OfType<ActivityNode>().Append(targetIndex.WorkflowNode))
        foreach (var v in targetIndex.DeclaredBy(container))
        {
            if (variables.ContainsKey(v.Id)) continue;
            variables[v.Id] = ValueConverter.TryConvert(v.Value, VariableTypes.Resolve(v)!, out var initial) ? ValueConverter.ToJson(initial) : null;
            log.Add($"Variable '{v.Name}' (new in version {target.Version}) starts at its initial value.");
        }

        // Bookmarks keep their ids and due times; only the node they point at is rewritten.
        var newBookmarks = new List<Bookmark>();
        var rewritten = new List<string>();
        foreach (var b in bookmarks)
        {
            if (!migrated.TryGetValue(b.ActivityInstanceId, out var owner))
            {
                if (instance.ActivityInstances.All(a => a.Id != b.ActivityInstanceId)) newBookmarks.Add(b); // burnt anyway
                continue; // its activity's problem is reported
            }
            if (owner.NodeId == b.ActivityNodeId)
            {
                newBookmarks.Add(b);
                continue;
            }
            newBookmarks.Add(new Bookmark
            {
                Id = b.Id, InstanceId = b.InstanceId, ActivityInstanceId = b.ActivityInstanceId, ActivityNodeId = owner.NodeId,
                Kind = b.Kind, Key = b.Key, CorrelationId = b.CorrelationId, DueAt = b.DueAt, CreatedAt = b.CreatedAt,
                Payload = b.Payload?.DeepClone().AsObject(),
            });
            rewritten.Add(b.Id);
        }

        if (problems.Count > 0) return (null, problems);

        var moved = new WorkflowInstance
        {
            Id = instance.Id,
            TenantId = instance.TenantId,
            DefinitionId = instance.DefinitionId,
            DefinitionVersionId = target.Id,
            DefinitionVersion = target.Version,
            CorrelationId = instance.CorrelationId,
            Name = instance.Name,
            Status = instance.Status,
            SubStatus = instance.SubStatus,
            CreatedAt = instance.CreatedAt,
            UpdatedAt = instance.UpdatedAt,
            FinishedAt = instance.FinishedAt,
            ConcurrencyVersion = instance.ConcurrencyVersion,
            Variables = variables,
            ActivityInstances = instance.ActivityInstances.Select(a => migrated[a.Id]).ToList(),
            Incidents = instance.Incidents.ToList(),
            Fault = instance.Fault,
            NextJournalSequence = instance.NextJournalSequence,
            Input = instance.Input.DeepClone().AsObject(),
            Output = instance.Output.DeepClone().AsObject(),
        };
        return (new MigratedInstance(moved, newBookmarks, rewritten, log), []);
    }

    private static ActivityInstance Copy(ActivityInstance a, ActivityNode node, List<FlowToken>? tokens) => new()
    {
        Id = a.Id,
        NodeId = node.NodeId,
        ActivityId = node.Id,
        ActivityType = a.ActivityType,
        ParentId = a.ParentId,
        Status = a.Status,
        StartedAt = a.StartedAt,
        Properties = a.Properties?.DeepClone().AsObject(),
        ActivityState = a.ActivityState?.DeepClone().AsObject(),
        // The id stays, so a state left out of the stored document is still the one its journal rows hold.
        JournaledStateHash = a.JournaledStateHash,
        Tokens = tokens,
    };

    private static Dictionary<string, ActivityNode> NodesById(WorkflowGraph graph)
    {
        var nodes = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var n in graph.Descendants()) nodes.TryAdd(n.Id, n);
        return nodes;
    }

    private static Dictionary<string, VariableDefinition> DeclaredVariables(WorkflowGraph graph)
    {
        var result = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var v in graph.Variables.Concat(graph.Descendants().SelectMany(n => n.Variables))) result.TryAdd(v.Id, v);
        return result;
    }

    private static string TypeText(VariableDefinition v) => v.IsArray ? $"{v.TypeName}[]" : v.TypeName;

    private static string Describe(ActivityStatus status) => status switch
    {
        ActivityStatus.Faulted => "faulted",
        ActivityStatus.Pending => "pending",
        _ => "running",
    };
}
